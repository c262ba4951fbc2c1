// Reconnection: a client with reconnection enabled comes back by itself after the server was shut
// down and started again on the same port, and after a network cut. It gets a new session (no
// connection state recovery configured), re-sends its auth, and what it emitted while offline is
// delivered once it is back.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, waitConnect, ask, next, restartServer, serverIsBack, closeAll } from "../lib/harness.mjs";
import { startProxy } from "../lib/proxy.mjs";

const proxies = [];
after(async () => {
  closeAll();
  for (const p of proxies) await p.close();
});

const RECONNECT = { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 500, randomizationFactor: 0 };

for (const transport of [["websocket"], ["polling"], ["polling", "websocket"]]) {
  const name = transport.join("+");

  test(`reconnects after the server restarts on the same port (${name})`, async () => {
    const socket = client("/", { transports: transport, auth: { token: "again" }, ...RECONNECT });
    const firstAuth = next(socket, "auth");
    await waitConnect(socket);
    await firstAuth;
    const firstId = socket.id;

    const reason = next(socket, "disconnect", 30_000);
    const reconnected = next(socket.io, "reconnect", 30_000);
    const authAgain = next(socket, "auth", 30_000);
    const generation = await restartServer(socket);
    try {
      const [attempts] = await reconnected;
      assert.ok(attempts >= 1, `reconnect after ${attempts} attempt(s)`);
      assert.deepEqual((await authAgain)[0], { token: "again" }, "the CONNECT packet carries the auth again");
      assert.equal(socket.connected, true);
      assert.notEqual(socket.id, firstId, "a new session");
      assert.ok(!socket.recovered, "no connection state recovery is configured");
      const [current] = await ask(socket, "server-generation");
      assert.ok(current > generation, "connected to the new server");
      assert.deepEqual(await ask(socket, "message-with-ack", "back"), ["back"]);
      // The exact reason is pinned by disconnect-transport-close; here it only has to be one the
      // client reconnects after (not an explicit "io server disconnect").
      const [why] = await reason;
      assert.ok(["transport close", "transport error", "ping timeout"].includes(why), `disconnect reason ${why}`);
    } finally {
      socket.disconnect();
      await serverIsBack(generation);
    }
  });
}

test("events emitted while offline are sent after reconnection", async () => {
  const socket = client("/", { transports: ["websocket"], ...RECONNECT });
  await waitConnect(socket);
  const reason = next(socket, "disconnect", 30_000);
  const generation = await restartServer(socket);
  try {
    await reason;
    // The client buffers emits while disconnected (sendBuffer) and flushes them after CONNECT.
    const back = next(socket, "message-back", 30_000);
    socket.emit("message", "sent while offline");
    assert.deepEqual(await back, ["sent while offline"]);
  } finally {
    socket.disconnect();
    await serverIsBack(generation);
  }
});

test("reconnects through a network cut: retries fail while the network is down, then succeed", async () => {
  const proxy = await startProxy(process.env.SOCKEYE_URL);
  proxies.push(proxy);
  const socket = client("/", { transports: ["websocket"], ...RECONNECT }, proxy.url);
  await waitConnect(socket);
  const firstId = socket.id;

  const reason = next(socket, "disconnect");
  const failedAttempt = next(socket.io, "reconnect_error");
  proxy.cut();
  assert.equal((await reason)[0], "transport close");
  await failedAttempt;

  const reconnected = next(socket, "connect", 30_000);
  proxy.restore();
  await reconnected;
  assert.notEqual(socket.id, firstId);
  assert.deepEqual(await ask(socket, "message-with-ack", "through the repaired network"), ["through the repaired network"]);
});

test('reconnects after a "ping timeout" once the network answers again', async () => {
  const proxy = await startProxy(process.env.SOCKEYE_URL);
  proxies.push(proxy);
  const socket = client("/", { transports: ["websocket"], ...RECONNECT }, proxy.url);
  await waitConnect(socket);

  const reason = next(socket, "disconnect", 30_000);
  proxy.blackhole();
  assert.equal((await reason)[0], "ping timeout");
  const reconnected = next(socket, "connect", 30_000);
  proxy.restore();
  await reconnected;
  assert.deepEqual(await ask(socket, "message-with-ack", "alive again"), ["alive again"]);
});
