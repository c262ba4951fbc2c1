// Bad recovery attempts: every one gets a fresh socket (recovered:false), none of the session's
// messages, and leaves the server and other clients unharmed.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { next, ask, waitConnect, closeAll, SOCKEYE_URL } from "../lib/harness.mjs";
import { startProxy } from "../lib/proxy.mjs";
import { control, recovering, journal, failed, WINDOW_MS } from "../lib/recovery.mjs";

const proxies = [];
after(async () => {
  closeAll();
  for (const p of proxies) await p.close();
});

/** A client that joined "secret", dropped, and missed a message meant for it. */
async function victim(ctl, nsp = "/") {
  const network = await startProxy(SOCKEYE_URL);
  proxies.push(network);
  const socket = recovering(nsp, { transports: ["websocket"], reconnection: false }, network.url);
  await waitConnect(socket);
  await ask(socket, "join", "secret");
  const seen = next(socket, "news");
  await ctl.call("publish", { nsp, room: "secret", event: "news", args: ["seen"] });
  await seen;
  const id = socket.id;
  const down = next(socket, "disconnect");
  network.cut();
  await down;
  await ctl.call("publish", { nsp, room: "secret", event: "news", args: ["for the victim only"] });
  return { pid: socket._pid, offset: socket._lastOffset, id };
}

/** Connects a fresh client presenting `auth`; asserts it got a fresh socket and no replay. */
async function presentsAndIsRefused(auth, nsp = "/") {
  const attacker = recovering(nsp, { transports: ["websocket"], reconnection: false, auth });
  const log = journal(attacker);
  await waitConnect(attacker);
  const [me] = await ask(attacker, "whoami");
  assert.equal(me.recovered, false, `recovered with ${JSON.stringify(auth)}`);
  assert.deepEqual(log.entries, [["<connect>"]], "nothing was replayed");
  return me;
}

function sameLength(digits, n) {
  return String(n).padStart(digits.length, "0");
}

test("an offset from another epoch is refused", async () => {
  const ctl = await control();
  const grown = await ctl.counters();
  const v = await victim(ctl);
  const epoch = v.offset.slice(0, 8);
  const other = (epoch === "00000000" ? "00000001" : "00000000") + v.offset.slice(8);
  const me = await presentsAndIsRefused({ pid: v.pid, offset: other });
  assert.notEqual(me.id, v.id);
  assert.equal(await grown(failed("/", "epoch")), 1);
});

test("an offset from the future is refused", async () => {
  const ctl = await control();
  const grown = await ctl.counters();
  const v = await victim(ctl);
  const digits = v.offset.slice(9);
  await presentsAndIsRefused({ pid: v.pid, offset: v.offset.slice(0, 9) + sameLength(digits, Number(digits) + 1000) });
  assert.equal(await grown(failed("/", "ahead")), 1);
});

for (const [name, offset] of [["garbage", "MzUPkW0"], ["uppercase", "ABCDEFGH.0000000000000001"], ["a number", 42],
  ["an object", { offset: "x" }], ["huge", "9".repeat(100_000)]]) {
  test(`a malformed offset (${name}) is refused and leaves the session to its owner`, async () => {
    const ctl = await control();
    const grown = await ctl.counters();
    const v = await victim(ctl);
    await presentsAndIsRefused({ pid: v.pid, offset });
    assert.equal(await grown(failed("/", "malformed")), 1);
    // The real owner still recovers: a malformed attempt claims nothing.
    const owner = recovering("/", { transports: ["websocket"], reconnection: false, auth: { pid: v.pid, offset: v.offset } });
    const log = journal(owner);
    await waitConnect(owner);
    const [me] = await ask(owner, "whoami");
    assert.equal(me.recovered, true);
    assert.equal(me.id, v.id);
    assert.deepEqual(log.events(), [["news", "for the victim only"], ["<connect>"]]);
  });
}

test("a forged pid is refused", async () => {
  const ctl = await control();
  const grown = await ctl.counters();
  const v = await victim(ctl);
  await presentsAndIsRefused({ pid: "AAAAAAAAAAAAAAAAAAAAAAAA", offset: v.offset });
  assert.equal(await grown(failed("/", "unknown_session")), 1);
});

test("another namespace's pid is unknown there", async () => {
  const ctl = await control();
  const grown = await ctl.counters();
  const v = await victim(ctl, "/other");
  await presentsAndIsRefused({ pid: v.pid, offset: v.offset }, "/");
  assert.equal(await grown(failed("/", "unknown_session")), 1);
});

test("an expired session is refused", async () => {
  const ctl = await control();
  const grown = await ctl.counters();
  const v = await victim(ctl);
  await ctl.call("advance", WINDOW_MS + 1_000);
  await presentsAndIsRefused({ pid: v.pid, offset: v.offset });
  assert.equal(await grown(failed("/", "expired")), 1);
});
