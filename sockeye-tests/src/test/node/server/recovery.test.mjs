// Connection state recovery of the standalone server with the npm socket.io-client 4.8: on by default,
// a dropped client gets its subscriptions and every message it missed back, once and in order, and an
// expired token is not revived by recovery (docs/recovery.md, "Standalone server"). Run by
// ServerNodeClientTest against a server verifying HS256 tokens, with the rule `public:*`.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { ask, next, waitConnect, eventually, hs256Token as token, SOCKEYE_URL } from "../lib/harness.mjs";
import { recovering, journal, proxied as proxy, closeJoined, OFFSET } from "../lib/recovery.mjs";

after(closeJoined);

/** Publishes through the HTTP API, as a backend does; resolves with the reply body. */
async function publish(room, event, data) {
  const res = await fetch(`${SOCKEYE_URL}/api/publish`, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.SOCKEYE_API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ room, event, data }),
  });
  assert.equal(res.status, 200);
  return res.json();
}

for (const transports of [["websocket"], ["polling"]]) {
  const name = transports.join("+");

  test(`a transport drop while messages are published: every message exactly once, in order, subscriptions kept (${name})`, async () => {
    const network = await proxy();
    const room = `public:stream-${name}`;
    const socket = recovering("/", { transports, auth: { token: token("ada", 3600).token } }, network.url);
    await waitConnect(socket);
    await ask(socket, "subscribe", room);
    const log = journal(socket);
    const total = 40;
    let sent = 0;
    const publishing = (async () => {
      for (; sent < total; sent++) await publish(room, "tick", sent);
    })();

    await log.waitFor("tick", 5);
    const down = next(socket, "disconnect");
    network.cut();
    await down;
    await eventually("ten more ticks published while the client is away", () => (sent >= 15 ? true : undefined));
    const back = next(socket, "connect", 30_000);
    network.restore();
    await back;
    await publishing;
    await publish(room, "end", null); // after the last tick in the stream's order
    await log.waitFor("end", 1, 30_000);

    assert.equal(socket.recovered, true, "socket.recovered");
    const ticks = log.entries.filter((e) => e[0] === "tick");
    assert.deepEqual(ticks.map((e) => e[1]), Array.from({ length: total }, (_, i) => i), "each tick once, in order");
    for (const [, , meta, offset] of ticks) {
      assert.match(offset, OFFSET);
      assert.equal(meta.offset, offset, "meta.offset is the offset the client recovers with");
    }
    const [left] = await ask(socket, "unsubscribe", room);
    assert.equal(left.ok, true, "the recovered connection is still subscribed without subscribing again");
  });
}

test("an expired token is not revived by recovery: the reconnect gets connect_error unauthorized", async () => {
  const network = await proxy();
  // Long enough to connect and subscribe on a loaded machine; the test then waits for it to run out.
  const shortLived = token("bob", 8);
  const socket = recovering("/", { transports: ["websocket"], auth: { token: shortLived.token } }, network.url);
  await waitConnect(socket);
  await ask(socket, "subscribe", "public:lobby");
  const down = next(socket, "disconnect");
  network.cut();
  await down;
  await eventually("the token expired", () => (Date.now() > shortLived.exp * 1000 + 200 ? true : undefined));

  const errors = [];
  socket.on("connect_error", (e) => errors.push(e));
  network.restore();
  // An attempt made while the network was still cut fails as a transport error ("websocket error"); the
  // first attempt that reaches the server is refused by it.
  const err = await eventually("the server's answer to the reconnect",
    () => errors.find((e) => e.message !== "websocket error"), 30_000);
  assert.equal(err.message, "unauthorized");
  assert.equal(err.data.reason, "token expired");
  assert.equal(socket.connected, false);
});
