// Shared steps of the cluster recovery scenarios (run by ClusterRecoveryEndToEndTest): two Sockeye
// nodes over one Redis, SOCKEYE_A (the client's first node, pid SOCKEYE_A_PID) and SOCKEYE_B.
import assert from "node:assert/strict";
import { ask, connected, eventually, next, waitConnect } from "../lib/harness.mjs";
import { journal, recovering } from "../lib/recovery.mjs";

export const A = process.env.SOCKEYE_A;
export const B = process.env.SOCKEYE_B;
export const A_PID = Number(process.env.SOCKEYE_A_PID);

/** A publisher on node B and a recovering client on node A in room "r" that received m 0..2. */
export async function clientOnA() {
  const publisher = await connected("/", { transports: ["websocket"] }, B);
  const socket = recovering("/", { transports: ["websocket"] }, A);
  await waitConnect(socket);
  assert.equal(socket.recovered, false, "a first connection is not a recovery");
  const log = journal(socket);
  await ask(socket, "join", "r");
  await ask(publisher, "publish", "r", "m", 0, 3);
  await log.waitFor("m", 3);
  return { publisher, socket, log, id: socket.id };
}

/**
 * Lets the client's Manager reconnect to node B, cuts the client from node A with `cut`, publishes
 * m 3..7 while it is away and m 8..9 once it is back, and checks it recovered every m once, in order.
 */
export async function recoverOnB({ publisher, socket, log, id }, cut) {
  socket.io.uri = B; // the Manager's next connection goes to the other node
  const down = next(socket, "disconnect");
  cut();
  await down;
  await ask(publisher, "publish", "r", "m", 3, 5);
  await waitConnect(socket, "reconnect to node B");
  assert.equal(socket.recovered, true, "recovered on the other node");
  assert.equal(socket.id, id, "same socket id");
  await ask(publisher, "publish", "r", "m", 8, 2);
  await log.waitFor("m", 10);
  assert.deepEqual(log.events().filter((e) => e[0] === "m").map((e) => e[1]), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
}

/**
 * Publishes `event` to room "r" from `publisher` until one reaches `log` (polled: after an outage the
 * nodes' subscriptions come back on their own schedule).
 */
export async function untilOneArrives(publisher, log, event, what, ms) {
  let n = 0;
  await eventually(what, async () => {
    await ask(publisher, "publish", "r", event, n++, 1);
    return log.count(event) > 0 ? true : undefined;
  }, ms);
}
