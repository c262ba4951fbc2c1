// The gateway's proxies with the npm socket.io-client 4.8 against a launched bin/sockeye whose connect,
// subscribe, publish and rpc proxies point at a JDK HttpServer backend (GatewayProxiesEndToEndTest): the
// connect backend admits by the `session` cookie, the subscribe backend closes `team:closed`, the publish
// backend refuses "badword" and upper-cases `shout`, the rpc backend echoes.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, connected, ask, next, closeAll } from "../lib/harness.mjs";

after(closeAll);

const as = (user, transports = ["websocket"]) =>
  connected("/", { transports, extraHeaders: { cookie: `theme=dark; session=${user}` } });

test("the connect proxy admits by cookie, over polling and WebSocket", async () => {
  for (const transports of [["polling"], ["websocket"]]) {
    const socket = await as("nina", transports);
    const [reply] = await ask(socket, "rpc", { method: "whoami" });
    assert.equal(reply.ok, true);
    assert.equal(reply.result.user, "nina");
    assert.deepEqual(reply.result.meta, { tenant: "t-nina" });
  }
});

test("a connect refusal is a connect_error with the backend's message and code", async () => {
  const socket = client("/", { transports: ["websocket"] });
  const [err] = await next(socket, "connect_error");
  assert.equal(err.message, "please log in");
  assert.equal(err.data.code, "no_session");
});

test("the subscribe proxy allows with data or refuses with its code", async () => {
  const socket = await as("omar");
  const [allowed] = await ask(socket, "subscribe", { room: "team:red", data: { want: "in" } });
  assert.deepEqual(allowed, { ok: true, room: "team:red", data: { welcome: "team:red" }, offset: allowed.offset });
  assert.equal(typeof allowed.offset, "string", "the room's offset, as every subscribe reply has");
  const [refused] = await ask(socket, "subscribe", "team:closed");
  assert.deepEqual(refused, { ok: false, error: { code: "closed", message: "this room is closed" } });
});

test("the publish proxy moderates: rejects, replaces, or passes", async () => {
  const socket = await as("pia");
  await ask(socket, "subscribe", "chat:room");
  const [rejected] = await ask(socket, "publish", { room: "chat:room", event: "said", data: "a badword" });
  assert.deepEqual(rejected.error, { code: "moderated", message: "mind your language" });
  const shouted = next(socket, "shout");
  const [ok] = await ask(socket, "publish", { room: "chat:room", event: "shout", data: "hey" });
  assert.equal(ok.ok, true);
  const [data, meta] = await shouted;
  assert.equal(data, "HEY");
  assert.equal(meta.from, "pia");
  assert.equal(meta.id, ok.id);
});

test("rpc answers with the backend's result or its error", async () => {
  const socket = await as("quinn");
  const [reply] = await ask(socket, "rpc", { method: "echo", data: { n: 1 } });
  assert.deepEqual(reply.result.data, { n: 1 });
  const [refused] = await ask(socket, "rpc", { method: "refuse" });
  assert.deepEqual(refused, { ok: false, error: { code: "nope", message: "not today" } });
  const [invalid] = await ask(socket, "rpc", { data: 1 });
  assert.equal(invalid.error.code, "invalid");
});
