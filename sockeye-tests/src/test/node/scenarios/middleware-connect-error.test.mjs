// A namespace middleware that rejects with ConnectError("not authorized", data): the client gets
// connect_error whose message and err.data come from the server (CONNECT_ERROR packet
// 44/private,{"message":…,"data":…}).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { client, connected, ask, next, closeAll } from "../lib/harness.mjs";

after(closeAll);

for (const transport of ["websocket", "polling"]) {
  test(`a rejecting middleware yields connect_error with the server's message and data (${transport})`, async () => {
    const socket = client("/private", { transports: [transport], auth: { token: "wrong" } });
    const [err] = await next(socket, "connect_error");
    assert.equal(err.message, "not authorized");
    assert.deepEqual(err.data, { reason: "bad token", token: "wrong" });
    assert.equal(socket.connected, false);
    assert.equal(socket.active, false, "a middleware refusal is final: the client does not retry by itself");
  });

  test(`a missing token is refused too, with data describing it (${transport})`, async () => {
    const socket = client("/private", { transports: [transport] });
    const [err] = await next(socket, "connect_error");
    assert.equal(err.message, "not authorized");
    assert.deepEqual(err.data, { reason: "bad token", token: null });
  });

  test(`the right token passes the middleware (${transport})`, async () => {
    const socket = client("/private", { transports: [transport], auth: { token: "secret" } });
    const [welcome] = await next(socket, "welcome");
    assert.equal(socket.connected, true);
    assert.deepEqual(welcome, { namespace: "/private" });
  });

  test(`after a refusal the client may retry with new credentials (${transport})`, async () => {
    const socket = client("/private", { transports: [transport], auth: { token: "wrong" } });
    await next(socket, "connect_error");
    socket.auth = { token: "secret" };
    const welcome = next(socket, "welcome");
    socket.connect();
    await welcome;
    assert.equal(socket.connected, true);
  });
}

test("the middleware of /private does not guard the main namespace", async () => {
  const socket = await connected("/", { transports: ["websocket"] });
  assert.deepEqual(await ask(socket, "message-with-ack", "open"), ["open"]);
});
