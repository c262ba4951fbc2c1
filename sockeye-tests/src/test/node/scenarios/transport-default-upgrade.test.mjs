// Default transports: the client starts with long-polling, then probes a WebSocket (2probe/3probe/5)
// and upgrades; after that socket.io.engine.transport.name is "websocket".
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, waitConnect, ask, next, closeAll } from "../lib/harness.mjs";

after(closeAll);

test("starts on polling and upgrades to WebSocket", async () => {
  const socket = client("/");
  const engine = socket.io.engine;
  assert.equal(engine.transport.name, "polling", "the first transport of a default client is polling");
  const upgraded = next(engine, "upgrade");
  await waitConnect(socket);

  const [transport] = await upgraded;
  assert.equal(transport.name, "websocket");
  assert.equal(socket.io.engine.transport.name, "websocket");
  // The client sends the upgrade packet "5" before anything else on the WebSocket, so the server
  // has switched by the time it handles this.
  assert.deepEqual(await ask(socket, "which-transport"), ["websocket"], "the server agrees on the transport");

  const back = next(socket, "message-back");
  socket.emit("message", "after upgrade", { n: 1 });
  assert.deepEqual(await back, ["after upgrade", { n: 1 }]);
  assert.deepEqual(await ask(socket, "message-with-ack", Buffer.from([1, 2, 3])), [Buffer.from([1, 2, 3])]);
});

test("events emitted while the upgrade is in flight are neither lost nor reordered", async () => {
  const socket = client("/");
  const upgraded = next(socket.io.engine, "upgrade");
  const received = [];
  socket.on("message-back", (n) => received.push(n));
  await waitConnect(socket);
  // Emitted right after connect: some travel over polling, some are buffered during the probe and
  // flushed over the WebSocket once the upgrade completes.
  for (let i = 0; i < 100; i++) socket.emit("message", i);
  await upgraded;
  for (let i = 100; i < 150; i++) socket.emit("message", i);
  await ask(socket, "message-with-ack", "sync");
  assert.equal(socket.io.engine.transport.name, "websocket");
  assert.deepEqual(received, Array.from({ length: 150 }, (_, i) => i));
});
