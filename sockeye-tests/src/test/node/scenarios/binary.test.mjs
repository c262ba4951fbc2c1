// Binary both ways: Buffers (and other binary views) nested anywhere in the arguments travel as
// Socket.IO binary attachments (BINARY_EVENT / BINARY_ACK + placeholders); on polling they are
// base64 "b" records, on WebSocket binary frames.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, ask, next, closeAll } from "../lib/harness.mjs";

after(closeAll);

const bytes = (...b) => Buffer.from(b);

for (const transport of ["websocket", "polling"]) {
  test(`nested Buffers are echoed byte for byte (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    const args = [
      { file: bytes(1, 2, 3), list: [bytes(4), "text", { deep: bytes(0, 255) }], plain: 1 },
      bytes(9, 8, 7),
      [bytes(), bytes(128)],
    ];
    const back = next(socket, "message-back");
    socket.emit("message", ...args);
    assert.deepEqual(await back, args);
  });

  test(`the server decodes client binary as byte arrays, at the right places (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    const [description] = await ask(socket, "describe", { file: bytes(1, 2, 3), list: [bytes(255), "s", 7] }, bytes(), Uint8Array.of(10, 11));
    assert.deepEqual(description, [
      { file: "bytes:010203", list: ["bytes:ff", "String", "Integer"] },
      "bytes:",
      "bytes:0a0b",
    ]);
  });

  test(`binary in an ack, client → server → client (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    assert.deepEqual(await ask(socket, "message-with-ack", bytes(1, 2), { x: bytes(3) }), [bytes(1, 2), { x: bytes(3) }]);
  });

  test(`binary emitted by the server, nested in objects and arrays (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    const received = next(socket, "binary");
    socket.emit("binary-from-server");
    assert.deepEqual(await received, [
      { single: bytes(1, 2, 3), list: [bytes(4, 5), "text", bytes()], nested: { deep: bytes(255, 0) } },
      bytes(6),
    ]);
  });

  test(`binary in the server's ack (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    assert.deepEqual(await ask(socket, "binary-from-server"), [{ ack: bytes(7, 7, 7) }]);
  });

  test(`binary in the client's answer to a server emitWithAck (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    socket.on("server-question", (value, callback) => callback({ echo: value, raw: bytes(42, 43) }));
    const answer = next(socket, "server-got-answer");
    socket.emit("ask-me", "bin", 5000);
    assert.deepEqual(await answer, [{ echo: "bin", raw: bytes(42, 43) }]);
  });

  test(`a 300 kB Buffer round-trips intact (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const [echo] = await ask(socket, "message-with-ack", big);
    assert.ok(Buffer.isBuffer(echo), "binary comes back as a Buffer");
    assert.equal(echo.length, big.length);
    assert.ok(echo.equals(big), "same bytes");
  });
}
