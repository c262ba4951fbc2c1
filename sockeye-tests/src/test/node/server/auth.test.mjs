// JWT handshake, permissions, presence events and token refresh of the standalone server with the npm
// socket.io-client 4.8 (docs/client-protocol.md). Run by ServerNodeClientTest against a server verifying HS256
// tokens, with the rule `public:*` (anyone subscribes and sees presence, members publish); the tokens
// come from the test in SOCKEYE_TOKEN_* variables.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, connected, ask, next, closeAll, hs256Token } from "../lib/harness.mjs";

after(closeAll);

const token = (name) => {
  const value = process.env[`SOCKEYE_TOKEN_${name}`];
  assert.ok(value, `SOCKEYE_TOKEN_${name} is set`);
  return value;
};

const shortToken = (sub, seconds) => hs256Token(sub, seconds).token;

async function refusal(auth) {
  const socket = client("/", { transports: ["websocket"], auth });
  const [err] = await next(socket, "connect_error");
  assert.equal(err.message, "unauthorized");
  assert.equal(socket.active, false, "a refused handshake is final: no automatic retry");
  return err.data.reason;
}

test("a valid token connects as its subject", async () => {
  const alice = await connected("/", { transports: ["websocket"], auth: { token: token("ALICE") } });
  await ask(alice, "subscribe", "public:chat");
  const received = next(alice, "said");
  const [reply] = await ask(alice, "publish", { room: "public:chat", event: "said", data: "hello" });
  assert.equal(reply.ok, true);
  const [data, meta] = await received;
  assert.equal(data, "hello");
  assert.equal(meta.from, "alice");
});

test("expired, forged and unsigned tokens are refused with a reason", async () => {
  assert.equal(await refusal({ token: token("EXPIRED") }), "token expired");
  assert.equal(await refusal({ token: token("FORGED") }), "invalid signature");
  assert.equal(await refusal({ token: token("NONE") }), "algorithm not allowed");
});

// With a rule letting anyone into public rooms, a connection without a token is anonymous, not refused.
test("anonymous connections may read public rooms but not publish to them", async () => {
  const anonymous = await connected("/", { transports: ["polling"] });
  const [subscribed] = await ask(anonymous, "subscribe", "public:chat");
  assert.deepEqual({ ...subscribed, offset: undefined }, { ok: true, room: "public:chat", offset: undefined });
  assert.match(subscribed.offset, /^[0-9a-z]{8}\.[0-9]{16}$/);
  const [denied] = await ask(anonymous, "publish", { room: "public:chat", event: "said", data: 1 });
  assert.equal(denied.error.code, "forbidden");
  const [elsewhere] = await ask(anonymous, "subscribe", "private");
  assert.equal(elsewhere.error.code, "forbidden");
});

test("presence events announce a user's first join and last leave", async () => {
  const watcher = await connected("/", { transports: ["websocket"] });
  await ask(watcher, "subscribe", "public:lobby");
  const bob = await connected("/", { transports: ["websocket"], auth: { token: token("BOB") } });
  const joined = next(watcher, "presence:join");
  await ask(bob, "subscribe", "public:lobby");
  assert.deepEqual((await joined)[0], { room: "public:lobby", user: "bob" });

  const [presence] = await ask(watcher, "presence", "public:lobby");
  assert.deepEqual(presence, { ok: true, room: "public:lobby", count: 2, members: [{ user: "bob", connections: 1 }] });

  const left = next(watcher, "presence:leave");
  bob.disconnect();
  assert.deepEqual((await left)[0], { room: "public:lobby", user: "bob" });
});

test("a refresh keeps a connection whose token expires; without one it is disconnected, told why", async () => {
  const kept = await connected("/", { transports: ["websocket"], auth: { token: shortToken("rita", 3) } });
  const lapsed = await connected("/", { transports: ["websocket"], auth: { token: shortToken("liam", 3) } });
  const [refreshed] = await ask(kept, "refresh", { token: token("RITA") });
  assert.equal(refreshed.ok, true);
  assert.ok(refreshed.exp > Date.now() / 1000 + 600, "exp is the new token's, in epoch seconds");

  const why = next(lapsed, "sockeye:error", 20_000);
  const gone = next(lapsed, "disconnect", 20_000);
  assert.deepEqual((await why)[0], { code: "unauthorized", message: "token expired" });
  assert.equal((await gone)[0], "io server disconnect");
  assert.equal(kept.connected, true);
  assert.deepEqual((await ask(kept, "subscribe", "public:still-here"))[0].room, "public:still-here");
});
