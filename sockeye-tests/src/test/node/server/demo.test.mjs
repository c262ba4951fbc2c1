// The anonymous demo flow of the standalone server (README, docs/client-protocol.md) with the npm socket.io-client 4.8:
// a server started with no configuration at all (anonymous access on), two browsers' worth of
// clients chatting in a room, binary inside a publish, presence, and a backend publishing over the
// HTTP API. Run by ServerNodeClientTest, which passes SOCKEYE_URL and SOCKEYE_API_KEY.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, ask, next, closeAll, SOCKEYE_URL } from "../lib/harness.mjs";

after(closeAll);

const API_KEY = process.env.SOCKEYE_API_KEY;

test("two anonymous clients chat in a room, the publisher included, with meta", async () => {
  const ann = await connected("/", { transports: ["polling"] });
  const bob = await connected("/", { transports: ["websocket"] });
  for (const socket of [ann, bob]) {
    const [reply] = await ask(socket, "subscribe", "lobby");
    assert.equal(reply.ok, true);
    assert.equal(reply.room, "lobby");
    assert.match(reply.offset, /^[0-9a-z]{8}\.[0-9]{16}$/, "the stream's position");
  }

  const atAnn = next(ann, "chat");
  const atBob = next(bob, "chat");
  const before = Date.now();
  const [reply] = await ask(ann, "publish", { room: "lobby", event: "chat", data: { text: "hi" } });
  assert.equal(reply.ok, true);
  assert.equal(typeof reply.id, "string");
  for (const [data, meta] of [await atAnn, await atBob]) {
    assert.deepEqual(data, { text: "hi" });
    assert.deepEqual(Object.keys(meta).sort(), ["from", "id", "offset", "room", "ts"]);
    assert.equal(meta.room, "lobby");
    assert.equal(meta.from, null);
    assert.equal(meta.id, reply.id);
    assert.ok(meta.ts >= before - 5000 && meta.ts <= Date.now() + 5000, `ts ${meta.ts} is epoch milliseconds`);
  }
});

test("binary data anywhere inside a publish arrives as binary", async () => {
  const client = await connected("/", { transports: ["websocket"] });
  await ask(client, "subscribe", "files");
  const received = next(client, "file");
  const [reply] = await ask(client, "publish", {
    room: "files", event: "file",
    data: { name: "a.bin", content: Buffer.from([1, 2, 3]), parts: [Buffer.from([4]), "text"] },
  });
  assert.equal(reply.ok, true);
  const [data] = await received;
  assert.equal(data.name, "a.bin");
  assert.deepEqual([...data.content], [1, 2, 3]);
  assert.deepEqual([...data.parts[0]], [4]);
  assert.equal(data.parts[1], "text");
});

test("presence counts anonymous connections without listing them", async () => {
  const a = await connected("/", { transports: ["websocket"] });
  const b = await connected("/", { transports: ["websocket"] });
  await ask(a, "subscribe", "counted");
  await ask(b, "subscribe", "counted");
  assert.deepEqual(await ask(a, "presence", "counted"), [{ ok: true, room: "counted", count: 2, members: [] }]);
});

test("mistakes are answered with the protocol's error codes", async () => {
  const client = await connected("/", { transports: ["websocket"] });
  const [badRoom] = await ask(client, "subscribe", "no spaces allowed");
  assert.equal(badRoom.ok, false);
  assert.equal(badRoom.error.code, "invalid");
  const [reserved] = await ask(client, "publish", { room: "r", event: "presence:join", data: 1 });
  assert.equal(reserved.error.code, "invalid");
  const [notIn] = await ask(client, "unsubscribe", "never-joined");
  assert.equal(notIn.error.code, "not_subscribed");
});

test("a backend publishes over the HTTP API with the key, and is refused without it", async () => {
  const client = await connected("/", { transports: ["websocket"] });
  await ask(client, "subscribe", "news");
  const received = next(client, "headline");
  const res = await fetch(`${SOCKEYE_URL}/api/publish`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}` },
    body: JSON.stringify({ room: "news", event: "headline", data: { title: "from curl" } }),
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  const [data, meta] = await received;
  assert.deepEqual(data, { title: "from curl" });
  assert.equal(meta.from, null);
  assert.equal(meta.id, body.id);

  const refused = await fetch(`${SOCKEYE_URL}/api/publish`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ room: "news", event: "headline", data: 1 }),
  });
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).error.code, "unauthorized");
});
