// Namespaces: the main namespace "/", the custom namespace "/custom", both multiplexed over one
// Engine.IO connection, and an unknown namespace refused with connect_error "Invalid namespace".
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Manager } from "socket.io-client";
import { SOCKEYE_URL, WAIT_MS, client, connected, waitConnect, ask, next, closeAll } from "../lib/harness.mjs";

const managers = [];
after(() => {
  closeAll();
  for (const m of managers) m.engine?.close();
});

function manager(opts = {}) {
  const m = new Manager(SOCKEYE_URL, { reconnection: false, timeout: WAIT_MS, ...opts });
  managers.push(m);
  return m;
}

for (const transport of ["websocket", "polling"]) {
  test(`connects to /custom and gets its auth echoed there (${transport})`, async () => {
    const socket = client("/custom", { transports: [transport], auth: { token: "abc" } });
    const [auth] = await next(socket, "auth");
    assert.deepEqual(auth, { token: "abc" });
    assert.equal(socket.connected, true);
    assert.deepEqual(await ask(socket, "which-namespace"), ["/custom"]);
  });

  test(`main and /custom share one Engine.IO connection and keep their events apart (${transport})`, async () => {
    const m = manager({ transports: [transport] });
    const main = m.socket("/", { auth: { who: "main" } });
    const custom = m.socket("/custom", { auth: { who: "custom" } });
    const mainAuth = next(main, "auth");
    const customAuth = next(custom, "auth");
    await Promise.all([waitConnect(main, "connect /"), waitConnect(custom, "connect /custom")]);

    assert.equal(main.io, custom.io, "one Manager");
    assert.notEqual(main.id, custom.id, "each namespace socket has its own id");
    assert.notEqual(main.id, m.engine.id, "the Socket.IO id is not the Engine.IO sid");
    assert.notEqual(custom.id, m.engine.id, "the Socket.IO id is not the Engine.IO sid");
    assert.deepEqual((await mainAuth)[0], { who: "main" });
    assert.deepEqual((await customAuth)[0], { who: "custom" });
    assert.deepEqual(await ask(main, "which-namespace"), ["/"]);
    assert.deepEqual(await ask(custom, "which-namespace"), ["/custom"]);
  });

  test(`leaving /custom keeps the main namespace and the connection working (${transport})`, async () => {
    const m = manager({ transports: [transport] });
    const main = m.socket("/");
    const custom = m.socket("/custom");
    await Promise.all([waitConnect(main), waitConnect(custom)]);
    const engineId = m.engine.id;

    const reason = next(custom, "disconnect");
    custom.disconnect();
    assert.equal((await reason)[0], "io client disconnect");

    assert.equal(main.connected, true);
    assert.deepEqual(await ask(main, "message-with-ack", "main still works"), ["main still works"]);
    assert.equal(m.engine.id, engineId, "same Engine.IO connection");

    // and /custom can be joined again on the same connection
    custom.connect();
    await waitConnect(custom, "reconnect to /custom");
    assert.deepEqual(await ask(custom, "which-namespace"), ["/custom"]);
    assert.equal(m.engine.id, engineId, "still the same Engine.IO connection");
  });

  test(`an unknown namespace is refused with connect_error "Invalid namespace" (${transport})`, async () => {
    const socket = client("/random", { transports: [transport] });
    const [err] = await next(socket, "connect_error");
    assert.equal(err.message, "Invalid namespace");
    assert.equal(socket.connected, false);
    assert.equal(socket.active, false, "a refused namespace is not retried");
  });

  test(`a refused namespace does not disturb the others on the same connection (${transport})`, async () => {
    const m = manager({ transports: [transport] });
    const main = m.socket("/");
    await waitConnect(main);
    const random = m.socket("/random");
    const [err] = await next(random, "connect_error");
    assert.equal(err.message, "Invalid namespace");
    assert.equal(main.connected, true);
    assert.deepEqual(await ask(main, "message-with-ack", "unaffected"), ["unaffected"]);
  });
}

test("a socket in /custom does not receive main-namespace broadcasts", async () => {
  const m = manager({ transports: ["websocket"] });
  const main = m.socket("/");
  const custom = m.socket("/custom");
  const customAuth = next(custom, "auth");
  await Promise.all([waitConnect(main), waitConnect(custom)]);
  await customAuth; // the one event /custom does get, on connection
  const leaked = [];
  custom.onAny((event) => leaked.push(event));
  const marker = next(main, "marker");
  await ask(main, "broadcast", { via: "io", event: "news", data: "to main only", marker: 1 });
  await marker;
  // /custom got nothing, not even the marker, which went to "/" only.
  assert.deepEqual(await ask(custom, "which-namespace"), ["/custom"]);
  assert.deepEqual(leaked, []);
});
