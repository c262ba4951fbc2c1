// The client's node is SIGKILLed (it writes nothing on the way down): the client recovers on the
// survivor from the session its node had already saved in Redis.
import { test, after } from "node:test";
import { closeAll } from "../lib/harness.mjs";
import { A_PID, clientOnA, recoverOnB } from "./lib.mjs";

after(closeAll);

test("a client whose node was SIGKILLed recovers on the survivor: every event once, in order, same id", async () => {
  const client = await clientOnA();
  await recoverOnB(client, () => process.kill(A_PID, "SIGKILL"));
});
