// socket.io #4880: a recovery while the old connection is still half-open leaves a ghost whose ping
// timeout later breaks the session. Sockeye closes the ghost ("session taken over", which saves no
// session) before restoring.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { next } from "../../lib/harness.mjs";
import { control, joined, dropAndReturn, closeJoined } from "../../lib/recovery.mjs";

after(closeJoined);

test("a recovery while the old connection is still half-open closes the ghost, and later recoveries work (socket.io #4880)", async () => {
  const ctl = await control();
  const client = await joined("r");
  const id = client.socket.id;
  await ctl.call("publish", { room: "r", event: "news", args: [1] });
  await client.log.waitFor("news");

  // The network goes silent without closing anything: the server still sees the old connection as
  // connected (its ping timeout is 20 s away). The client gives up on it and reconnects.
  client.network.blackhole();
  const back = next(client.socket, "connect", 30_000);
  client.network.restore(); // new connections pass; the silenced one stays silent and open
  client.socket.io.engine.close();
  await back;
  assert.equal(client.socket.recovered, true);
  assert.equal(client.socket.id, id);
  assert.deepEqual(await ctl.value("reasons", id), ["session taken over"], "the ghost left without touching the session");

  await dropAndReturn(client, () => ctl.call("publish", { room: "r", event: "news", args: [2] }));
  assert.equal(client.socket.recovered, true, "the next recovery works too");
  assert.deepEqual(client.log.events(), [["news", 1], ["<connect>"], ["news", 2], ["<connect>"]]);
  assert.deepEqual(await ctl.value("reasons", id), ["session taken over", "transport close"]);
});
