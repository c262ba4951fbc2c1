// The sharded Redis adapter keeps history and sessions on each node (docs/recovery.md, "Cluster"): a
// client recovers when it comes back to the node it left, and on the other node it gets
// recovered:false and a new session — none of the events it missed, never part of them.
import assert from "node:assert/strict";
import { test, after } from "node:test";
import { ask, closeAll, next, waitConnect } from "../lib/harness.mjs";
import { B, clientOnA, untilOneArrives } from "./lib.mjs";

after(closeAll);

test("sharded adapter: a client recovers on its own node, and on the other gets recovered:false, no partial replay", async () => {
  const { publisher, socket, log, id } = await clientOnA();

  /** Drops the client's connection, publishes m from..from+1 while it is away, and waits until it is back. */
  async function awayWhile(from, node) {
    const down = next(socket, "disconnect");
    socket.io.engine.close();
    await down;
    await ask(publisher, "publish", "r", "m", from, 2);
    await waitConnect(socket, `reconnect to node ${node}`);
  }

  // Same node: everything missed, once, in order.
  await awayWhile(3, "A");
  assert.equal(socket.recovered, true, "recovered on the node it left");
  assert.equal(socket.id, id, "same socket id");
  await log.waitFor("m", 5);

  // Other node: told it did not recover, and given nothing it missed.
  socket.io.uri = B;
  await awayWhile(5, "B");
  assert.equal(socket.recovered, false, "not recovered on another node");
  assert.notEqual(socket.id, id, "a new session");
  await ask(socket, "join", "r");
  await untilOneArrives(publisher, log, "live", "a live event on node B");
  assert.deepEqual(log.events().filter((e) => e[0] === "m").map((e) => e[1]), [0, 1, 2, 3, 4]);
});
