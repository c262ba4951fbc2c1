// The standalone server (bin/sockeye --parser msgpack or auto) with msgpack clients: the rooms protocol
// (subscribe, publish, presence) on both transports, binary inside a publish, the HTTP API reaching a
// msgpack client, and under auto a JSON and a msgpack client in one room receiving each other's
// publishes. Run by StandaloneMsgpackTest, which passes SOCKEYE_URL, SOCKEYE_API_KEY, SOCKEYE_PARSER.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, connected, ask, next, closeAll, SOCKEYE_URL } from "./lib.mjs";

after(closeAll);

const PARSER = process.env.SOCKEYE_PARSER;
const API_KEY = process.env.SOCKEYE_API_KEY;

test(`msgpack clients chat in a room on both transports, binary and all (${PARSER})`, async () => {
  const ann = await connected("/", { transports: ["polling"] });
  const bob = await connected("/", { transports: ["websocket"] });
  for (const socket of [ann, bob]) {
    const [subscribed] = await ask(socket, "subscribe", "lobby");
    assert.deepEqual(subscribed, { ok: true, room: "lobby", offset: subscribed.offset });
    assert.equal(typeof subscribed.offset, "string");
  }

  const data = { text: "hi", file: Buffer.from([1, 2, 3]), parts: [Buffer.from([4]), 2.5, null] };
  const atAnn = next(ann, "chat");
  const atBob = next(bob, "chat");
  const [reply] = await ask(ann, "publish", { room: "lobby", event: "chat", data });
  assert.equal(reply.ok, true);
  for (const [got, meta] of [await atAnn, await atBob]) {
    assert.deepEqual(got, data);
    assert.equal(meta.room, "lobby");
    assert.equal(meta.id, reply.id);
    assert.equal(meta.offset, reply.offset);
  }
  assert.deepEqual(await ask(bob, "presence", "lobby"), [{ ok: true, room: "lobby", count: 2, members: [] }]);
  assert.deepEqual(await ask(bob, "unsubscribe", "lobby"), [{ ok: true, room: "lobby" }]);
});

test(`a msgpack client catches up on a room with since: the replay comes in msgpack, binary included (${PARSER})`, async () => {
  const writer = await connected("/", { transports: ["websocket"] });
  const [first] = await ask(writer, "publish", { room: "catch-up", event: "note", data: { n: 1 } });
  const data = { n: 2, raw: Buffer.from([9, 8]) };
  const [second] = await ask(writer, "publish", { room: "catch-up", event: "note", data });
  assert.equal(typeof first.offset, "string");

  const reader = await connected("/", { transports: ["websocket"] });
  const replayed = [];
  reader.on("note", (got, meta) => replayed.push([got, meta.id, meta.offset]));
  const [reply] = await ask(reader, "subscribe", { room: "catch-up", since: first.offset });
  assert.equal(reply.ok, true);
  assert.equal(reply.recovered, true);
  assert.deepEqual(replayed, [[data, second.id, second.offset]], "the message after since, once, before the reply");
});

test(`errors are answered in msgpack too (${PARSER})`, async () => {
  const client = await connected("/", { transports: ["websocket"] });
  const [badRoom] = await ask(client, "subscribe", "no spaces allowed");
  assert.equal(badRoom.error.code, "invalid");
});

test(`a namespace the server does not have is refused in msgpack (${PARSER})`, async () => {
  const socket = client("/nope", { transports: ["websocket"] });
  const [err] = await next(socket, "connect_error");
  assert.equal(err.message, "Invalid namespace");
});

test(`the HTTP API reaches a msgpack client (${PARSER})`, async () => {
  const client = await connected("/", { transports: ["websocket"] });
  await ask(client, "subscribe", "news");
  const received = next(client, "headline");
  const res = await fetch(`${SOCKEYE_URL}/api/publish`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify({ room: "news", event: "headline", data: { title: "from curl" } }),
  });
  assert.equal(res.status, 200);
  const [data, meta] = await received;
  assert.deepEqual(data, { title: "from curl" });
  assert.equal(meta.room, "news");
});

test(`a JSON client and a msgpack client receive each other's publishes (${PARSER})`,
  { skip: PARSER !== "auto" && "needs parser auto" }, async () => {
    const json = await connected("/", { json: true, transports: ["polling"] });
    const msgpack = await connected("/", { transports: ["websocket"] });
    await ask(json, "subscribe", "mixed");
    await ask(msgpack, "subscribe", "mixed");
    for (const [from, data] of [[msgpack, { by: "msgpack", raw: Buffer.from([7]) }], [json, { by: "json", raw: Buffer.from([8]) }]]) {
      const atJson = next(json, "say");
      const atMsgpack = next(msgpack, "say");
      const [reply] = await ask(from, "publish", { room: "mixed", event: "say", data });
      assert.equal(reply.ok, true);
      assert.deepEqual((await atJson)[0], data);
      assert.deepEqual((await atMsgpack)[0], data);
    }
  });
