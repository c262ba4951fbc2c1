// transports: ["websocket"] — the client opens a WebSocket straight away (no polling handshake).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, ask, next, closeAll } from "../lib/harness.mjs";

after(closeAll);

test("connects with the WebSocket transport only and stays on it", async () => {
  const socket = await connected("/", { transports: ["websocket"] });
  assert.equal(socket.io.engine.transport.name, "websocket");
  assert.deepEqual(await ask(socket, "which-transport"), ["websocket"], "the server agrees on the transport");

  const back = next(socket, "message-back");
  socket.emit("message", 1, "2", { 3: [true] });
  assert.deepEqual(await back, [1, "2", { 3: [true] }]);
  assert.deepEqual(await ask(socket, "message-with-ack", "over websocket"), ["over websocket"]);

  assert.equal(socket.io.engine.transport.name, "websocket");
});

test("a burst of events arrives complete and in order", async () => {
  const socket = await connected("/", { transports: ["websocket"] });
  const received = [];
  socket.on("message-back", (n) => received.push(n));
  for (let i = 0; i < 200; i++) socket.emit("message", i);
  // The server handles one connection's packets in order, so once this ack is back every
  // "message-back" of the burst has been received before it.
  await ask(socket, "message-with-ack", "after burst");
  assert.deepEqual(received, Array.from({ length: 200 }, (_, i) => i));
});
