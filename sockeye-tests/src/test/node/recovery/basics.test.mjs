// Connection state recovery with the stock socket.io-client: a client whose transport drops gets its
// socket back (same id, rooms and data) and every event it missed, once, in order, before "connect".
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { next, ask, waitConnect, eventually, closeAll, SOCKEYE_URL } from "../lib/harness.mjs";
import { startProxy } from "../lib/proxy.mjs";
import { control, recovering, journal } from "../lib/recovery.mjs";

const proxies = [];
after(async () => {
  closeAll();
  for (const p of proxies) await p.close();
});

async function proxy() {
  const p = await startProxy(SOCKEYE_URL);
  proxies.push(p);
  return p;
}

for (const transports of [["websocket"], ["polling"]]) {
  const name = transports.join("+");

  test(`missed events arrive once, in order, before "connect", with the same id, rooms and data (${name})`, async () => {
    const network = await proxy();
    const ctl = await control();
    const socket = recovering("/", { transports }, network.url);
    await waitConnect(socket);
    assert.equal(socket.recovered, false, "a first connection is not a recovery");
    await ask(socket, "join", "r");
    await ask(socket, "set-data", "user", "ada");
    const log = journal(socket);
    await ctl.call("publish", { room: "r", event: "news", args: ["seen"] });
    await log.waitFor("news");
    const id = socket.id;

    const down = next(socket, "disconnect");
    network.cut();
    await down;
    await ctl.call("publish", { room: "r", event: "news", args: ["missed"], count: 3 });
    await ctl.call("publish", { room: "elsewhere", event: "news", args: ["not for it"] });
    const back = next(socket, "connect", 30_000);
    network.restore();
    await back;

    assert.equal(socket.recovered, true, "socket.recovered");
    assert.equal(socket.id, id, "same socket id");
    assert.deepEqual(log.events(), [
      ["news", "seen"],
      ["news", "missed", 0], ["news", "missed", 1], ["news", "missed", 2],
      ["<connect>"],
    ]);
    const [me] = await ask(socket, "whoami");
    assert.equal(me.recovered, true);
    assert.deepEqual(me.rooms.sort(), [id, "r"].sort());
    assert.deepEqual(me.data, { user: "ada" });
  });

  test(`a transport drop while messages are published: every message exactly once, in order (${name})`, async () => {
    const network = await proxy();
    const ctl = await control();
    const socket = recovering("/", { transports }, network.url);
    await waitConnect(socket);
    await ask(socket, "join", "stream");
    const log = journal(socket);
    const total = 300;

    await ctl.call("stream", { room: "stream", event: "tick", count: total, everyMs: 5 });
    await log.waitFor("tick", 50);
    network.cut();
    await eventually("the server published 150 ticks", async () => ((await ctl.value("published")) >= 150 ? true : undefined));
    network.restore();
    await eventually("every tick published", async () => ((await ctl.value("published")) === total ? true : undefined), 30_000);
    await ctl.call("publish", { room: "stream", event: "end" }); // after the last tick in the stream's order
    await log.waitFor("end", 1, 30_000);

    const ticks = log.events().filter((e) => e[0] === "tick").map((e) => e[1]);
    assert.deepEqual(ticks, Array.from({ length: total }, (_, i) => i), "each tick once, in order");
    assert.equal(socket.recovered, true);
  });
}
