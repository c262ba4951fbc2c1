// socket.io #5419: replayed packets carried no offset, so a second recovery replayed the first one's
// packets again. Sockeye's replayed packets carry their offsets, and a session is claimed once.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { ask, waitConnect } from "../../lib/harness.mjs";
import { control, joined, dropAndReturn, closeJoined, recovering, journal } from "../../lib/recovery.mjs";

after(closeJoined);

test("a second recovery does not replay what the first one replayed (socket.io #5419)", async () => {
  const ctl = await control();
  const client = await joined("r");
  await dropAndReturn(client, () => ctl.call("publish", { room: "r", event: "news", args: ["a"], count: 2 }));
  await dropAndReturn(client, () => ctl.call("publish", { room: "r", event: "news", args: ["b"] }));

  assert.equal(client.socket.recovered, true);
  assert.deepEqual(client.log.events(), [["news", "a", 0], ["news", "a", 1], ["<connect>"], ["news", "b"], ["<connect>"]]);
});

test("a session is restored once: presenting it again after it was restored and left gets a fresh socket", async () => {
  const ctl = await control();
  const client = await joined("r");
  const { _pid: pid } = client.socket;
  await dropAndReturn(client, () => ctl.call("publish", { room: "r", event: "news", args: ["missed"] }));
  const offsetBefore = client.socket._lastOffset;
  client.socket.disconnect(); // "client namespace disconnect": the session ends for good

  const replay = recovering("/", { transports: ["websocket"], reconnection: false, auth: { pid, offset: offsetBefore } });
  const log = journal(replay);
  await waitConnect(replay);
  const [me] = await ask(replay, "whoami");
  assert.equal(me.recovered, false);
  assert.notEqual(replay.id, client.socket.id);
  assert.deepEqual(log.entries, [["<connect>"]], "nothing replayed");
});
