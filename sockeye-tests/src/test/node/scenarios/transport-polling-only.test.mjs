// transports: ["polling"] — HTTP long-polling only: GET to receive, POST to send, packets joined by \x1e.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, ask, next, closeAll } from "../lib/harness.mjs";

after(closeAll);

test("connects with HTTP long-polling only and stays on it", async () => {
  const socket = await connected("/", { transports: ["polling"] });
  assert.equal(socket.io.engine.transport.name, "polling");
  assert.deepEqual(await ask(socket, "which-transport"), ["polling"], "the server agrees on the transport");

  const back = next(socket, "message-back");
  socket.emit("message", 1, "2", { 3: [true] });
  assert.deepEqual(await back, [1, "2", { 3: [true] }]);
  assert.deepEqual(await ask(socket, "message-with-ack", "over polling"), ["over polling"]);

  assert.equal(socket.io.engine.transport.name, "polling");
});

test("many packets batched into one polling payload arrive complete and in order", async () => {
  const socket = await connected("/", { transports: ["polling"] });
  const received = [];
  socket.on("message-back", (n) => received.push(n));
  // Emitted in one tick, so the client sends them as one POST body (records split by \x1e) and the
  // server answers them over as few GETs as it likes.
  for (let i = 0; i < 200; i++) socket.emit("message", i, "text with a \u00e9 and a \u{1F600}");
  await ask(socket, "message-with-ack", "after burst");
  assert.equal(received.length, 200);
  assert.deepEqual(received, Array.from({ length: 200 }, (_, i) => i));
});

test("a large text payload (200 kB, below maxHttpBufferSize) goes through both ways", async () => {
  const socket = await connected("/", { transports: ["polling"] });
  const big = "x".repeat(200_000);
  const [echo] = await ask(socket, "message-with-ack", big);
  assert.equal(echo.length, big.length);
  assert.equal(echo, big);
});
