// Acknowledgements both ways: client emit with an ack callback, and server emitWithAck answered by the client.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, next, closeAll } from "../lib/harness.mjs";

after(closeAll);

for (const transport of ["websocket", "polling"]) {
  test(`client emit with an ack callback gets the server's reply (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    const reply = await new Promise((resolve) => socket.emit("message-with-ack", 1, "2", { 3: [false] }, (...args) => resolve(args)));
    assert.deepEqual(reply, [1, "2", { 3: [false] }]);
  });

  test(`an ack may carry no argument at all (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    const reply = await new Promise((resolve) => socket.emit("message-with-ack", (...args) => resolve(args)));
    assert.deepEqual(reply, []);
  });

  test(`concurrent acks are matched to their own emits (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => new Promise((resolve) => socket.emit("message-with-ack", i, `n${i}`, (...args) => resolve(args)))),
    );
    assert.deepEqual(replies, Array.from({ length: 50 }, (_, i) => [i, `n${i}`]));
  });

  test(`the server's emitWithAck is answered by the client's callback (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    socket.on("server-question", (value, callback) => {
      assert.equal(typeof callback, "function", "the server asked for an ack, so the client gets a callback");
      callback({ doubled: value * 2 }, "second");
    });
    const answer = next(socket, "server-got-answer");
    socket.emit("ask-me", 21, 5000);
    assert.deepEqual(await answer, [{ doubled: 42 }, "second"]);
  });

  test(`the server's emitWithAck times out when the client never answers (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    socket.on("server-question", () => { /* deliberately never calls the callback */ });
    const timedOut = next(socket, "server-ack-timeout");
    socket.emit("ask-me", 1, 300);
    const [message] = await timedOut;
    assert.equal(typeof message, "string");
    // The connection outlives the server-side timeout.
    const reply = await new Promise((resolve) => socket.emit("message-with-ack", "alive", (...args) => resolve(args)));
    assert.deepEqual(reply, ["alive"]);
  });
}

test("a plain server emit (no ack requested) hands the client no callback", async () => {
  const socket = await connected("/", { transports: ["websocket"] });
  const back = next(socket, "message-back");
  socket.emit("message", "x");
  const args = await back;
  assert.deepEqual(args, ["x"], "no trailing function argument");
});
