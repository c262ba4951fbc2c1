// Namespaces, multiplexing, connect errors and rooms with the msgpack parser, against InteropApp.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Manager } from "socket.io-client";
import * as parser from "socket.io-msgpack-parser";
import { client, connected, waitConnect, ask, next, closeAll, SOCKEYE_URL, TRANSPORT, WAIT_MS } from "../lib.mjs";

const managers = [];
after(() => {
  closeAll();
  for (const m of managers) m.engine?.close();
});

test(`a custom namespace (${TRANSPORT})`, async () => {
  const socket = await connected("/custom", { auth: { token: "abc" } });
  assert.deepEqual(await ask(socket, "which-namespace"), ["/custom"]);
});

test(`two namespaces over one connection (${TRANSPORT})`, async () => {
  const manager = new Manager(SOCKEYE_URL, { parser, reconnection: false, timeout: WAIT_MS,
    transports: TRANSPORT === "default" ? ["polling", "websocket"] : [TRANSPORT] });
  managers.push(manager);
  const main = manager.socket("/");
  const custom = manager.socket("/custom");
  await Promise.all([waitConnect(main, "connect /"), waitConnect(custom, "connect /custom")]);
  assert.notEqual(main.id, custom.id);
  assert.deepEqual(await ask(main, "which-namespace"), ["/"]);
  assert.deepEqual(await ask(custom, "which-namespace"), ["/custom"]);
  const reason = next(custom, "disconnect");
  custom.disconnect();
  assert.equal((await reason)[0], "io client disconnect");
  assert.deepEqual(await ask(main, "message-with-ack", "main still works"), ["main still works"]);
});

test(`an unknown namespace is refused (${TRANSPORT})`, async () => {
  const socket = client("/nope");
  const [err] = await next(socket, "connect_error");
  assert.equal(err.message, "Invalid namespace");
});

test(`a middleware's refusal carries its data (${TRANSPORT})`, async () => {
  const socket = client("/private", { auth: { token: "wrong" } });
  const [err] = await next(socket, "connect_error");
  assert.equal(err.message, "not authorized");
  assert.deepEqual(err.data, { reason: "bad token", token: "wrong" });
});

test(`rooms: a broadcast reaches every member once (${TRANSPORT})`, async () => {
  const a = await connected();
  const b = await connected();
  const outsider = await connected();
  await ask(a, "join", "r1");
  await ask(b, "join", "r1");
  let strayed = false;
  outsider.on("news", () => (strayed = true));
  const gotA = next(a, "news");
  const gotB = next(b, "news");
  const marker = next(outsider, "marker");
  await ask(a, "broadcast", { via: "io", to: ["r1"], event: "news", data: { n: 1, raw: Buffer.from([1]) }, marker: "m1" });
  assert.deepEqual(await gotA, [{ n: 1, raw: Buffer.from([1]) }]);
  assert.deepEqual(await gotB, [{ n: 1, raw: Buffer.from([1]) }]);
  // the marker follows the broadcast on every connection: once the outsider has it, a stray broadcast came first
  assert.deepEqual(await marker, ["m1"]);
  assert.equal(strayed, false);
});
