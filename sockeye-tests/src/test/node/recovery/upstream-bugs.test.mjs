// Where socket.io's own connection state recovery loses or duplicates messages, and Sockeye does not:
// one test per upstream issue, with the stock socket.io-client 4.8.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { next, ask, waitConnect, closeAll, SOCKEYE_URL } from "../lib/harness.mjs";
import { startProxy } from "../lib/proxy.mjs";
import { control, recovering, journal, OFFSET, failed } from "../lib/recovery.mjs";

const WINDOW_MS = 30_000; // RecoveryApp's maxDisconnectionDuration, on a clock the scenarios move
const proxies = [];
after(async () => {
  closeAll();
  for (const p of proxies) await p.close();
});

/** A recovering client through its own proxy, joined to `room`, with a journal of what it receives. */
async function joined(room, nsp = "/", opts = {}) {
  const network = await startProxy(SOCKEYE_URL);
  proxies.push(network);
  const socket = recovering(nsp, { transports: ["websocket"], ...opts }, network.url);
  await waitConnect(socket);
  await ask(socket, "join", room);
  return { network, socket, log: journal(socket) };
}

/** Cuts the network, runs `meanwhile`, repairs it and resolves once the client is connected again. */
async function dropAndReturn({ network, socket }, meanwhile) {
  const down = next(socket, "disconnect");
  network.cut();
  await down;
  await meanwhile();
  const back = next(socket, "connect", 30_000);
  network.restore();
  await back;
}

test("a client that received no event before the drop still recovers (socket.io #5538)", async () => {
  const ctl = await control();
  const client = await joined("r");
  assert.equal(client.socket._lastOffset, undefined, "no event yet: its CONNECT will carry the pid alone");

  await dropAndReturn(client, () => ctl.call("publish", { room: "r", event: "news", args: ["missed"] }));

  assert.equal(client.socket.recovered, true);
  assert.deepEqual(client.log.events(), [["news", "missed"], ["<connect>"]]);
});

test("a volatile event with a string last argument does not corrupt the recovery position (socket.io PR #5539)", async () => {
  const ctl = await control();
  const client = await joined("r");
  await ctl.call("publish", { room: "r", event: "news", args: ["first"] });
  await ctl.call("publish", { event: "status", args: ["ok"], isVolatile: true });
  await client.log.waitFor("status");
  assert.match(client.socket._lastOffset, OFFSET, "the client's position is a real offset, not \"ok\"");

  await dropAndReturn(client, () => ctl.call("publish", { room: "r", event: "news", args: ["missed"] }));

  assert.equal(client.socket.recovered, true);
  assert.deepEqual(client.log.events(), [["news", "first"], ["status", "ok"], ["news", "missed"], ["<connect>"]]);
});

test("a connection idle for longer than the window, then dropped for a second, still recovers (socket.io #5282)", async () => {
  const ctl = await control();
  const client = await joined("quiet");
  await ctl.call("publish", { room: "quiet", event: "news", args: ["last one seen"] });
  await client.log.waitFor("news");
  for (let i = 0; i < 10; i++) {
    // Other rooms are busy; the entry of the client's own last offset ages out of the history.
    await ctl.call("publish", { room: "busy", event: "news", args: ["not for it"], count: 5 });
    await ctl.call("advance", WINDOW_MS);
  }

  await dropAndReturn(client, async () => {
    await ctl.call("advance", 1_000);
    await ctl.call("publish", { room: "quiet", event: "news", args: ["while away"] });
  });

  assert.equal(client.socket.recovered, true, "nothing the client would have received was evicted");
  assert.deepEqual(client.log.events(), [["news", "last one seen"], ["news", "while away"], ["<connect>"]]);
});

test("a recovery while the old connection is still half-open closes the ghost, and later recoveries work (socket.io #4880)", async () => {
  const ctl = await control();
  const client = await joined("r");
  const id = client.socket.id;
  await ctl.call("publish", { room: "r", event: "news", args: [1] });
  await client.log.waitFor("news");

  // The network goes silent without closing anything: the server still sees the old connection as
  // connected (its ping timeout is 20 s away). The client gives up on it and reconnects.
  client.network.blackhole();
  const back = next(client.socket, "connect", 30_000);
  client.network.restore(); // new connections pass; the silenced one stays silent and open
  client.socket.io.engine.close();
  await back;
  assert.equal(client.socket.recovered, true);
  assert.equal(client.socket.id, id);
  assert.deepEqual(await ctl.value("reasons", id), ["session taken over"], "the ghost left without touching the session");

  await dropAndReturn(client, () => ctl.call("publish", { room: "r", event: "news", args: [2] }));
  assert.equal(client.socket.recovered, true, "the next recovery works too");
  assert.deepEqual(client.log.events(), [["news", 1], ["<connect>"], ["news", 2], ["<connect>"]]);
  assert.deepEqual(await ctl.value("reasons", id), ["session taken over", "transport close"]);
});

for (const when of ["before-read", "after-read"]) {
  test(`a message published while a recovery reads the history is delivered exactly once (${when})`, async () => {
    const ctl = await control();
    const client = await joined("r");
    await dropAndReturn(client, async () => {
      await ctl.call("publish", { room: "r", event: "news", args: ["missed"] });
      // Published from inside the history read: after the socket rejoined its rooms, and either before
      // the read (so it is both replayed and live) or after it (so it is live only).
      await ctl.call("race", { when, room: "r", event: "news", arg: "racing" });
    });
    await ctl.call("publish", { room: "r", event: "news", args: ["after"] });
    await client.log.waitFor("news", 3);

    const expected = when === "before-read"
      ? [["news", "missed"], ["news", "racing"], ["<connect>"], ["news", "after"]]
      : [["news", "missed"], ["<connect>"], ["news", "racing"], ["news", "after"]];
    assert.deepEqual(client.log.events(), expected);
  });
}

test("a second recovery does not replay what the first one replayed (socket.io #5419)", async () => {
  const ctl = await control();
  const client = await joined("r");
  await dropAndReturn(client, () => ctl.call("publish", { room: "r", event: "news", args: ["a"], count: 2 }));
  await dropAndReturn(client, () => ctl.call("publish", { room: "r", event: "news", args: ["b"] }));

  assert.equal(client.socket.recovered, true);
  assert.deepEqual(client.log.events(), [["news", "a", 0], ["news", "a", 1], ["<connect>"], ["news", "b"], ["<connect>"]]);
});

test("a session is restored once: presenting it again after it was restored and left gets a fresh socket", async () => {
  const ctl = await control();
  const client = await joined("r");
  const { _pid: pid } = client.socket;
  await dropAndReturn(client, () => ctl.call("publish", { room: "r", event: "news", args: ["missed"] }));
  const offsetBefore = client.socket._lastOffset;
  client.socket.disconnect(); // "client namespace disconnect": the session ends for good

  const replay = recovering("/", { transports: ["websocket"], reconnection: false, auth: { pid, offset: offsetBefore } });
  const log = journal(replay);
  await waitConnect(replay);
  const [me] = await ask(replay, "whoami");
  assert.equal(me.recovered, false);
  assert.notEqual(replay.id, client.socket.id);
  assert.deepEqual(log.entries, [["<connect>"]], "nothing replayed");
});

test("a recovered socket passes the always-run authentication again: an expired token is not revived", async () => {
  const ctl = await control();
  const grown = await ctl.counters();
  await ctl.call("tokens", { allow: ["t1"] });
  const { network, socket, log } = await joined("r", "/auth", { auth: { token: "t1" } });
  const down = next(socket, "disconnect");
  network.cut();
  await down;
  await ctl.call("publish", { nsp: "/auth", room: "r", event: "news", args: ["missed"] });
  await ctl.call("tokens", { revoke: ["t1"] });

  const rejected = next(socket, "connect_error", 30_000);
  network.restore();
  const [err] = await rejected;
  assert.equal(err.message, "invalid token", "recovery skips middlewares, but not the useAlways one");
  assert.equal(socket.connected, false);

  // With a fresh token the session, put back by the rejected attempt, is recovered after all.
  await ctl.call("tokens", { allow: ["t2"] });
  socket.auth = { token: "t2" };
  const back = next(socket, "connect");
  socket.connect(); // socket.io-client does not retry by itself after a middleware's connect_error
  await back;

  assert.equal(socket.recovered, true);
  assert.deepEqual(log.events(), [["news", "missed"], ["<connect>"]]);
  assert.equal(await grown(failed("/auth", "rejected")), 1);
  assert.equal(await grown("plain middleware /auth"), 1, "skipMiddlewares: the plain middleware ran for the first connection only");
});
