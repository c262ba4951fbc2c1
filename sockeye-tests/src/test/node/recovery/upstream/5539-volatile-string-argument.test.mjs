// socket.io PR #5539: the stock client takes any trailing string of an event for its offset, and
// socket.io's volatile events carry none, so io.volatile.emit("status", "ok") corrupts the position.
// Sockeye gives volatile events an offset too (they are numbered but never replayed).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { control, joined, dropAndReturn, closeJoined, OFFSET } from "../../lib/recovery.mjs";

after(closeJoined);

test("a volatile event with a string last argument does not corrupt the recovery position (socket.io PR #5539)", async () => {
  const ctl = await control();
  const client = await joined("r");
  await ctl.call("publish", { room: "r", event: "news", args: ["first"] });
  await ctl.call("publish", { event: "status", args: ["ok"], isVolatile: true });
  await client.log.waitFor("status");
  assert.match(client.socket._lastOffset, OFFSET, "the client's position is a real offset, not \"ok\"");

  await dropAndReturn(client, () => ctl.call("publish", { room: "r", event: "news", args: ["missed"] }));

  assert.equal(client.socket.recovered, true);
  assert.deepEqual(client.log.events(), [["news", "first"], ["status", "ok"], ["news", "missed"], ["<connect>"]]);
});
