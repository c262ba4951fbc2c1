// socket.io #5282: a connection idle for longer than the window has its last offset pruned, so a short
// drop afterwards fails to recover although nothing was missed. Sockeye checks whether anything the
// client would have received was pruned, not whether its own last entry is still kept.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { control, joined, dropAndReturn, closeJoined, WINDOW_MS } from "../../lib/recovery.mjs";

after(closeJoined);

test("a connection idle for longer than the window, then dropped for a second, still recovers (socket.io #5282)", async () => {
  const ctl = await control();
  const client = await joined("quiet");
  await ctl.call("publish", { room: "quiet", event: "news", args: ["last one seen"] });
  await client.log.waitFor("news");
  for (let i = 0; i < 10; i++) {
    // Other rooms are busy; the entry of the client's own last offset ages out of the history.
    await ctl.call("publish", { room: "busy", event: "news", args: ["not for it"], count: 5 });
    await ctl.call("advance", WINDOW_MS);
  }

  await dropAndReturn(client, async () => {
    await ctl.call("advance", 1_000);
    await ctl.call("publish", { room: "quiet", event: "news", args: ["while away"] });
  });

  assert.equal(client.socket.recovered, true, "nothing the client would have received was evicted");
  assert.deepEqual(client.log.events(), [["news", "last one seen"], ["news", "while away"], ["<connect>"]]);
});
