// socket.io joins the rooms only after its asynchronous history read, so a broadcast in between is
// lost. Sockeye joins first with live traffic held, reads, replays, then releases what it held minus
// what the replay already had. The server's "race" hook publishes from inside the history read.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { control, joined, dropAndReturn, closeJoined } from "../../lib/recovery.mjs";

after(closeJoined);

for (const when of ["before-read", "after-read"]) {
  test(`a message published while a recovery reads the history is delivered exactly once (${when})`, async () => {
    const ctl = await control();
    const client = await joined("r");
    await dropAndReturn(client, async () => {
      await ctl.call("publish", { room: "r", event: "news", args: ["missed"] });
      // Published from inside the history read: after the socket rejoined its rooms, and either before
      // the read (so it is both replayed and live) or after it (so it is live only).
      await ctl.call("race", { when, room: "r", event: "news", arg: "racing" });
    });
    await ctl.call("publish", { room: "r", event: "news", args: ["after"] });
    await client.log.waitFor("news", 3);

    const expected = when === "before-read"
      ? [["news", "missed"], ["news", "racing"], ["<connect>"], ["news", "after"]]
      : [["news", "missed"], ["<connect>"], ["news", "racing"], ["news", "after"]];
    assert.deepEqual(client.log.events(), expected);
  });
}
