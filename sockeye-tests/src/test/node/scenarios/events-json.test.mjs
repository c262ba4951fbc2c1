// Events with JSON arguments, client → server → client, on both transports.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, connected, ask, next, closeAll } from "../lib/harness.mjs";

after(closeAll);

const EVERY_JSON_KIND = [
  0, 1, -1, 42, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, 1.5, -0.25, 1e-7, 6.02e23,
  "", "plain", "quote \" backslash \\ slash / tab \t newline \n", "\u00e9\u4e2d\u{1F600}", "\u0000\u001f",
  true, false, null,
  {}, [], [[]], { a: { b: { c: [1, { d: null }] } } },
  { "key with spaces": 1, "\u00e9": "unicode key", "": "empty key" },
  [1, "two", 3.5, false, null, { six: [6] }],
];

for (const transport of ["websocket", "polling"]) {
  test(`every JSON kind survives an echo (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    const back = next(socket, "message-back");
    socket.emit("message", ...EVERY_JSON_KIND);
    assert.deepEqual(await back, EVERY_JSON_KIND);
  });

  test(`one argument at a time keeps its kind (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    for (const value of EVERY_JSON_KIND) {
      assert.deepEqual(await ask(socket, "message-with-ack", value), [value], `value ${JSON.stringify(value)}`);
    }
  });
}

test("the server receives the client's CONNECT auth payload (emitted back as \"auth\")", async () => {
  const socket = client("/", { transports: ["websocket"], auth: { token: "123", nested: { list: [1, 2] } } });
  const [auth] = await next(socket, "auth");
  assert.deepEqual(auth, { token: "123", nested: { list: [1, 2] } });
});

test("without auth the server sees an empty object", async () => {
  const socket = client("/", { transports: ["websocket"] });
  const [auth] = await next(socket, "auth");
  assert.deepEqual(auth, {});
});

test("event names are matched exactly, including unicode", async () => {
  const socket = await connected("/", { transports: ["websocket"] });
  // No handler for these names on the server: nothing comes back, and the connection stays fine.
  socket.emit("Message", 1);
  socket.emit("message ", 1);
  socket.emit("\u00e9v\u00e9nement", 1);
  assert.deepEqual(await ask(socket, "message-with-ack", "still alive"), ["still alive"]);
  assert.equal(socket.connected, true);
});
