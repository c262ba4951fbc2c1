// Redis restarted without persistence while the client was away: the cluster's history and the
// client's session are gone and the stream starts a new epoch, so the client comes back with
// recovered:false — a new session, and none of the events it missed, never part of them.
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, after } from "node:test";
import { ask, closeAll, connected, eventually, waitConnect } from "../lib/harness.mjs";
import { startProxy } from "../lib/proxy.mjs";
import { dropAndReturn, journal, recovering } from "../lib/recovery.mjs";
import { A, B, untilOneArrives } from "./lib.mjs";

/** Where ClusterRecoveryEndToEndTest and this scenario hand over: "restart" asks, "restarted" answers. */
const CONTROL = process.env.SOCKEYE_REDIS_CONTROL;

let network;
after(async () => {
  closeAll();
  await network?.close();
});

/** Asks the test to restart Redis (without persistence) and resolves once it is back. */
async function restartRedis() {
  writeFileSync(join(CONTROL, "restart"), "");
  await eventually("Redis restarted by the test", () => (existsSync(join(CONTROL, "restarted")) ? true : undefined), 60_000);
}

test("a client away while Redis restarted without persistence reconnects with recovered:false, no partial replay", async () => {
  const publisher = await connected("/", { transports: ["websocket"] }, B);
  const witness = await connected("/", { transports: ["websocket"] }, B); // stays, sees what Redis publishes
  const seen = journal(witness);
  await ask(witness, "join", "r");
  network = await startProxy(A);
  const socket = recovering("/", { transports: ["websocket"] }, network.url);
  await waitConnect(socket);
  const log = journal(socket);
  await ask(socket, "join", "r");
  await ask(publisher, "publish", "r", "m", 0, 3);
  await log.waitFor("m", 3);
  const id = socket.id;

  await dropAndReturn({ network, socket }, async () => {
    await ask(publisher, "publish", "r", "m", 3, 2); // kept in the history Redis is about to lose
    await seen.waitFor("m", 5);
    await restartRedis();
    await untilOneArrives(publisher, seen, "probe", "a broadcast through the restarted Redis", 60_000);
    await ask(publisher, "publish", "r", "m", 5, 2); // kept in the new epoch's history of room r
    await seen.waitFor("m", 7);
  });
  assert.equal(socket.recovered, false, "not recovered: Redis lost the session and the history");
  assert.notEqual(socket.id, id, "a new session");

  // Live events flow again once both nodes are back on Redis (polled: their subscriptions come back on
  // their own schedule); the missed m 3..6 never arrive.
  await ask(socket, "join", "r");
  await untilOneArrives(publisher, log, "live", "a live event after Redis came back", 60_000);
  assert.deepEqual(log.events().filter((e) => e[0] === "m").map((e) => e[1]), [0, 1, 2]);
});
