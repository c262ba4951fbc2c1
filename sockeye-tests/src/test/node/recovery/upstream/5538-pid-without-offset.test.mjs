// socket.io #5538: a client that received no event before the drop reconnects with its pid and no
// offset; socket.io gives it a fresh socket, Sockeye replays everything since it connected.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { control, joined, dropAndReturn, closeJoined } from "../../lib/recovery.mjs";

after(closeJoined);

test("a client that received no event before the drop still recovers (socket.io #5538)", async () => {
  const ctl = await control();
  const client = await joined("r");
  assert.equal(client.socket._lastOffset, undefined, "no event yet: its CONNECT will carry the pid alone");

  await dropAndReturn(client, () => ctl.call("publish", { room: "r", event: "news", args: ["missed"] }));

  assert.equal(client.socket.recovered, true);
  assert.deepEqual(client.log.events(), [["news", "missed"], ["<connect>"]]);
});
