// Events, acks both ways, binary, dates and undefined with the msgpack parser, against InteropApp.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, ask, next, closeAll, TRANSPORT } from "../lib.mjs";

after(closeAll);

const bytes = (...b) => Buffer.from(b);

test(`values of every kind are echoed as sent (${TRANSPORT})`, async () => {
  const socket = await connected();
  const args = [1, "two", 2.5, true, false, null, -1, 2 ** 40, -(2 ** 40), 0.1, "é€😀", "x".repeat(300),
    { nested: [1, { a: "b" }], empty: {}, list: [] }];
  assert.deepEqual(await ask(socket, "message-with-ack", ...args), args);
});

test(`binary, dates and undefined reach the server as bytes, dates and null (${TRANSPORT})`, async () => {
  const socket = await connected();
  const [described] = await ask(socket, "describe", bytes(1, 2, 3), Uint8Array.of(10, 11).buffer,
    new Date(1700000000123), undefined, { file: bytes(255), when: new Date(0), gone: undefined });
  assert.deepEqual(described, ["bytes:010203", "bytes:0a0b", "Date", "null",
    { file: "bytes:ff", when: "Date", gone: "null" }]);
});

test(`binary and dates come back inline (${TRANSPORT})`, async () => {
  const socket = await connected();
  const big = Buffer.alloc(70_000, 7);
  assert.deepEqual(await ask(socket, "message-with-ack", bytes(1, 2), { x: bytes(3), big }, new Date(1700000000123)),
    [bytes(1, 2), { x: bytes(3), big }, new Date(1700000000123)]);
});

test(`binary emitted by the server, and in its ack (${TRANSPORT})`, async () => {
  const socket = await connected();
  const received = next(socket, "binary");
  const reply = await ask(socket, "binary-from-server");
  assert.deepEqual(await received, [
    { single: bytes(1, 2, 3), list: [bytes(4, 5), "text", bytes()], nested: { deep: bytes(255, 0) } },
    bytes(6),
  ]);
  assert.deepEqual(reply, [{ ack: bytes(7, 7, 7) }]);
});

test(`the client answers the server's emitWithAck (${TRANSPORT})`, async () => {
  const socket = await connected();
  socket.on("server-question", (value, callback) => callback({ echo: value, raw: bytes(42) }));
  const answer = next(socket, "server-got-answer");
  socket.emit("ask-me", "q", 30_000);
  assert.deepEqual(await answer, [{ echo: "q", raw: bytes(42) }]);
});
