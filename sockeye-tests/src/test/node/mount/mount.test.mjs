// Socket.IO mounted in a plain Netty server (NettyMountTest): the application's /hello and Socket.IO share the port.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { SOCKEYE_URL, connected, ask, next, closeAll } from "../lib/harness.mjs";

after(closeAll);

test("the application's own handler answers /hello on the same port", async () => {
  const res = await fetch(`${SOCKEYE_URL}/hello`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "hello from netty");
});

test("a POST outside the Socket.IO path reaches the application whole, past Socket.IO's 1 MB body limit", async () => {
  const res = await fetch(`${SOCKEYE_URL}/hello`, { method: "POST", body: "x".repeat(2_000_000) });
  assert.equal(await res.text(), "hello from netty, 2000000 bytes");
});

for (const transport of ["polling", "websocket"]) {
  test(`events and acks over ${transport}`, async () => {
    const socket = await connected("/", { transports: [transport] });
    assert.deepEqual(await ask(socket, "echo", { n: 1 }, "two"), [{ n: 1 }, "two"]);
  });
}

test("a polling connection upgrades to WebSocket and keeps working", async () => {
  const socket = await connected("/");
  if (socket.io.engine.transport.name !== "websocket") {
    await next(socket.io.engine, "upgrade");
  }
  assert.equal(socket.io.engine.transport.name, "websocket");
  assert.deepEqual(await ask(socket, "echo", "after upgrade"), ["after upgrade"]);
  const res = await fetch(`${SOCKEYE_URL}/hello`);
  assert.equal(await res.text(), "hello from netty");
});
