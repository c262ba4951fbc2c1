// The Spring Boot chat example (examples/spring-boot-chat, ChatExampleTest) with the npm socket.io-client.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, connected, ask, next, closeAll } from "../lib/harness.mjs";

after(closeAll);

test("the controller of /chat welcomes, routes messages to a room and acks with a receipt", async () => {
  const welcome = client("/chat");
  const [greeting] = await next(welcome, "welcome");
  assert.equal(greeting, "you are in the lobby");
  welcome.close();

  const alice = await connected("/chat");
  const bob = await connected("/chat");
  assert.deepEqual(await ask(bob, "join", "kitchen"), ["kitchen"]);
  const received = next(bob, "message");
  const [receipt] = await ask(alice, "message", { room: "kitchen", user: "alice", text: "hello" });
  assert.equal(receipt.room, "kitchen");
  assert.equal(typeof receipt.id, "number");
  assert.deepEqual(await received, [{ room: "kitchen", user: "alice", text: "hello" }]);
});

test("a handler's SocketIoException is the ack's error", async () => {
  const alice = await connected("/chat");
  const [reply] = await ask(alice, "message", { room: "lobby", user: "alice", text: " " });
  assert.equal(reply.error, "empty message");
});

test("a dynamic namespace injects its variable and broadcasts to its own clients", async () => {
  const one = await connected("/room-kitchen");
  const two = await connected("/room-kitchen");
  const other = await connected("/room-garden");
  let leaked = false;
  other.on("said", () => { leaked = true; });
  const said = next(two, "said");
  assert.deepEqual(await ask(one, "say", "soup"), [{ room: "kitchen", text: "soup" }]);
  assert.deepEqual(await said, ["soup"]);
  assert.deepEqual(await ask(other, "say", "roses"), [{ room: "garden", text: "roses" }]);
  assert.equal(leaked, false, "a room's broadcast stays in its namespace");
});
