// A client whose connection drops comes back on the other node of the cluster and recovers there.
import { test, after } from "node:test";
import { closeAll } from "../lib/harness.mjs";
import { clientOnA, recoverOnB } from "./lib.mjs";

after(closeAll);

test("a client that drops recovers on the other node: every event once, in order, same id", async () => {
  const client = await clientOnA();
  await recoverOnB(client, () => client.socket.io.engine.close());
});
