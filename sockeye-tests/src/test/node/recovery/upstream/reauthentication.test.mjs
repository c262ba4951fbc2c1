// socket.io's skipMiddlewares skips every middleware on recovery, authentication included, so an
// expired token is revived. Sockeye runs the middlewares registered with useAlways on every connect.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { next } from "../../lib/harness.mjs";
import { control, joined, closeJoined, failed } from "../../lib/recovery.mjs";

after(closeJoined);

test("a recovered socket passes the always-run authentication again: an expired token is not revived", async () => {
  const ctl = await control();
  const grown = await ctl.counters();
  await ctl.call("tokens", { allow: ["t1"] });
  const { network, socket, log } = await joined("r", "/auth", { auth: { token: "t1" } });
  const down = next(socket, "disconnect");
  network.cut();
  await down;
  await ctl.call("publish", { nsp: "/auth", room: "r", event: "news", args: ["missed"] });
  await ctl.call("tokens", { revoke: ["t1"] });

  const rejected = next(socket, "connect_error", 30_000);
  network.restore();
  const [err] = await rejected;
  assert.equal(err.message, "invalid token", "recovery skips middlewares, but not the useAlways one");
  assert.equal(socket.connected, false);

  // With a fresh token the session, put back by the rejected attempt, is recovered after all.
  await ctl.call("tokens", { allow: ["t2"] });
  socket.auth = { token: "t2" };
  const back = next(socket, "connect");
  socket.connect(); // socket.io-client does not retry by itself after a middleware's connect_error
  await back;

  assert.equal(socket.recovered, true);
  assert.deepEqual(log.events(), [["news", "missed"], ["<connect>"]]);
  assert.equal(await grown(failed("/auth", "rejected")), 1);
  assert.equal(await grown("plain middleware /auth"), 1, "skipMiddlewares: the plain middleware ran for the first connection only");
});
