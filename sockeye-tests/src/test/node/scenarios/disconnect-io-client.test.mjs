// Disconnect reason "io client disconnect": the client called socket.disconnect(). The server sees
// "client namespace disconnect" (the client sent a DISCONNECT packet before closing).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Manager } from "socket.io-client";
import { SOCKEYE_URL, WAIT_MS, connected, waitConnect, ask, next, serverDisconnectReason, closeAll } from "../lib/harness.mjs";

const managers = [];
after(() => {
  closeAll();
  for (const m of managers) m.engine?.close();
});

for (const transport of ["websocket", "polling"]) {
  test(`client socket.disconnect() → "io client disconnect"; server sees "client namespace disconnect" (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport], reconnection: true });
    const id = socket.id;
    const reason = next(socket, "disconnect");
    socket.disconnect();
    assert.equal((await reason)[0], "io client disconnect");
    assert.equal(socket.active, false);
    assert.equal(await serverDisconnectReason(id), "client namespace disconnect");
  });

  test(`disconnecting /custom only leaves "/" on the shared connection (${transport})`, async () => {
    const m = new Manager(SOCKEYE_URL, { reconnection: false, timeout: WAIT_MS, transports: [transport] });
    managers.push(m);
    const main = m.socket("/");
    const custom = m.socket("/custom");
    await Promise.all([waitConnect(main), waitConnect(custom)]);
    const customId = custom.id;
    const reason = next(custom, "disconnect");
    custom.disconnect();
    assert.equal((await reason)[0], "io client disconnect");
    assert.deepEqual(await ask(main, "message-with-ack", "main survives"), ["main survives"]);
    assert.equal(await serverDisconnectReason(customId), "client namespace disconnect");
  });

  test(`the client can connect again after its own disconnect (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    const first = socket.id;
    socket.disconnect();
    socket.connect();
    await waitConnect(socket, "connect again");
    assert.notEqual(socket.id, first, "a new session gets a new id");
    assert.deepEqual(await ask(socket, "message-with-ack", "again"), ["again"]);
  });
}
