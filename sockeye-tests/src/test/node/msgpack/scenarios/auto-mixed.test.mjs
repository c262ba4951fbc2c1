// parser auto: a JSON client (socket.io's default parser) and a msgpack client on the same server and
// in the same room, each receiving what the other sends through the room, binary and all.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, ask, next, closeAll, TRANSPORT } from "../lib.mjs";

after(closeAll);

test(`JSON and msgpack clients share a room (${TRANSPORT})`, async () => {
  const json = await connected("/", { json: true });
  const msgpack = await connected("/");
  await ask(json, "join", "mixed");
  await ask(msgpack, "join", "mixed");

  const payload = { text: "from msgpack", raw: Buffer.from([1, 2, 3]), n: 2.5, list: [null, true] };
  let atJson = next(json, "chat");
  let atMsgpack = next(msgpack, "chat");
  await ask(msgpack, "broadcast", { via: "io", to: ["mixed"], event: "chat", data: payload, marker: 1 });
  assert.deepEqual(await atJson, [payload]);
  assert.deepEqual(await atMsgpack, [payload]);

  const reply = { text: "from json", raw: Buffer.from([4, 5]), nested: { deep: [1, "x"] } };
  atJson = next(json, "chat");
  atMsgpack = next(msgpack, "chat");
  await ask(json, "broadcast", { via: "io", to: ["mixed"], event: "chat", data: reply, marker: 2 });
  assert.deepEqual(await atJson, [reply]);
  assert.deepEqual(await atMsgpack, [reply]);
});

test(`each client keeps its parser for acks and binary (${TRANSPORT})`, async () => {
  const json = await connected("/", { json: true });
  const msgpack = await connected("/");
  const bin = Buffer.from([9, 9]);
  assert.deepEqual(await ask(json, "message-with-ack", "j", bin), ["j", bin]);
  assert.deepEqual(await ask(msgpack, "message-with-ack", "m", bin), ["m", bin]);
  assert.deepEqual(await ask(json, "describe", bin), [["bytes:0909"]]);
  assert.deepEqual(await ask(msgpack, "describe", bin), [["bytes:0909"]]);
});
