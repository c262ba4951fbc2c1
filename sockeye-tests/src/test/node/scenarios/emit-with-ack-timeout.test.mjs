// socket.timeout(ms).emitWithAck(...): resolves with the server's ack, or rejects when the server
// handler never acknowledges.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, closeAll } from "../lib/harness.mjs";

after(closeAll);

for (const transport of ["websocket", "polling"]) {
  test(`emitWithAck with a timeout resolves with the ack's first argument (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    assert.equal(await socket.timeout(30_000).emitWithAck("message-with-ack", 42, "ignored by emitWithAck"), 42);
    assert.deepEqual(await socket.timeout(30_000).emitWithAck("message-with-ack", { a: [1] }), { a: [1] });
  });

  test(`emitWithAck rejects with a timeout error when the server never acks (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    await assert.rejects(socket.timeout(300).emitWithAck("never-ack", 1), (err) => {
      assert.ok(err instanceof Error);
      assert.equal(err.message, "operation has timed out");
      return true;
    });
    // The timed-out ack does not poison the connection.
    assert.equal(socket.connected, true);
    assert.equal(await socket.timeout(30_000).emitWithAck("message-with-ack", "after timeout"), "after timeout");
  });
}

test("the ackTimeout socket option applies to every emitWithAck", async () => {
  const socket = await connected("/", { transports: ["websocket"], ackTimeout: 300 });
  await assert.rejects(socket.emitWithAck("never-ack"), { message: "operation has timed out" });
  assert.equal(await socket.emitWithAck("message-with-ack", "fast"), "fast");
});
