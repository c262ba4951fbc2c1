// Disconnect reason "io server disconnect": the server called socket.disconnect() (DISCONNECT packet).
// The client does not reconnect by itself after it, even with reconnection enabled.
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
  test(`server socket.disconnect() → "io server disconnect", no automatic reconnection (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport], reconnection: true, reconnectionDelay: 50 });
    const id = socket.id;
    const reason = next(socket, "disconnect");
    socket.emit("kick-me");
    assert.equal((await reason)[0], "io server disconnect");
    assert.equal(socket.connected, false);
    assert.equal(socket.active, false, "after a server-side disconnect the client must not reconnect by itself");
    assert.equal(await serverDisconnectReason(id), "server namespace disconnect");
  });

  test(`server socket.disconnect() on /custom leaves "/" connected on the shared connection (${transport})`, async () => {
    const m = new Manager(SOCKEYE_URL, { reconnection: false, timeout: WAIT_MS, transports: [transport] });
    managers.push(m);
    const main = m.socket("/");
    const custom = m.socket("/custom");
    await Promise.all([waitConnect(main), waitConnect(custom)]);
    const reason = next(custom, "disconnect");
    custom.emit("kick-me");
    assert.equal((await reason)[0], "io server disconnect");
    assert.equal(main.connected, true);
    assert.deepEqual(await ask(main, "message-with-ack", "main survives"), ["main survives"]);
  });

  test(`server socket.disconnect(true) → every namespace of the connection sees "io server disconnect" (${transport})`, async () => {
    const m = new Manager(SOCKEYE_URL, { reconnection: false, timeout: WAIT_MS, transports: [transport] });
    managers.push(m);
    const main = m.socket("/");
    const custom = m.socket("/custom");
    await Promise.all([waitConnect(main), waitConnect(custom)]);
    const mainReason = next(main, "disconnect");
    const customReason = next(custom, "disconnect");
    const engineClosed = next(m.engine, "close");
    // disconnect(true) first sends DISCONNECT to each namespace socket of the connection, then closes it.
    main.emit("kick-me-hard");
    assert.equal((await mainReason)[0], "io server disconnect");
    assert.equal((await customReason)[0], "io server disconnect");
    await engineClosed;
  });
}
