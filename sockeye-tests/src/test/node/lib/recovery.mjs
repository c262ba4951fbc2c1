// Helpers for the connection state recovery scenarios (node/recovery), run by RecoveryInteropTest
// against io.sockeye.tests.interop.RecoveryApp: a control connection to drive the server, a client
// that reconnects by itself, and an event log that keeps what the client saw in order.
import assert from "node:assert/strict";
import { client, connected, ask, eventually, next, waitConnect, closeAll, SOCKEYE_URL } from "./harness.mjs";
import { startProxy } from "./proxy.mjs";

/** Reconnection settings that come back quickly and deterministically once the network allows. */
export const RECONNECT = { reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 300, randomizationFactor: 0 };

/** RecoveryApp's maxDisconnectionDuration, on a clock the scenarios move with "advance". */
export const WINDOW_MS = 30_000;

/** Sockeye's offsets: an 8-character epoch, a dot, 16 digits. */
export const OFFSET = /^[0-9a-z]{8}\.[0-9]{16}$/;

/** The server's counter of recoveries on `nsp` that failed for `reason` (RecoveryFailure's words). */
export function failed(nsp, reason) {
  return `recoveryFailed / ${nsp} / ${reason}`;
}

/** A connection to /control; `call(event, ...args)` resolves with the ack's arguments. */
export async function control() {
  const socket = await connected("/control", { transports: ["websocket"] });
  const ctl = {
    call: (event, ...args) => ask(socket, event, ...args),
    async value(event, ...args) {
      return (await ask(socket, event, ...args))[0];
    },
    /** Resolves with a function giving how much a recovery counter grew since this call. */
    async counters() {
      const before = await ctl.value("metrics");
      return async (key) => ((await ctl.value("metrics"))[key] ?? 0) - (before[key] ?? 0);
    },
  };
  return ctl;
}

/** A client with reconnection on, through `url` (e.g. a proxy's). */
export function recovering(nsp, opts, url) {
  return client(nsp, { ...RECONNECT, ...opts }, url);
}

/**
 * Records every event the socket receives ([event, ...args], offset included) and every "connect", in
 * the order the application sees them.
 */
export function journal(socket) {
  const entries = [];
  socket.onAny((event, ...args) => entries.push([event, ...args]));
  socket.on("connect", () => entries.push(["<connect>"]));
  return {
    entries,
    /** The events, without their offsets (checked to be there), "<connect>" marks included. */
    events() {
      return entries.map((entry) => {
        if (entry[0] === "<connect>") return entry;
        const last = entry[entry.length - 1];
        assert.match(String(last), OFFSET, `event ${JSON.stringify(entry)} carries an offset`);
        return entry.slice(0, -1);
      });
    },
    count(event) {
      return entries.filter((e) => e[0] === event).length;
    },
    async waitFor(event, count = 1, ms) {
      await eventually(`${count} "${event}" event(s), have ${JSON.stringify(entries.slice(-5))}`,
        () => (entries.filter((e) => e[0] === event).length >= count ? true : undefined), ms);
    },
  };
}

/** Publishes from the server with a final marker, and resolves once the marker reached `log`. */
export async function publishAndSettle(ctl, log, publish) {
  await ctl.call("publish", publish);
  const marker = `marker-${Math.random()}`;
  await ctl.call("publish", { event: marker });
  await log.waitFor(marker);
}

const proxies = [];

/** Closes every client and every proxy that {@link joined} opened (for a scenario file's `after`). */
export async function closeJoined() {
  closeAll();
  for (const p of proxies.splice(0)) await p.close();
}

/** A proxy to the server that {@link closeJoined} closes. */
export async function proxied() {
  const network = await startProxy(SOCKEYE_URL);
  proxies.push(network);
  return network;
}

/** A recovering client through its own proxy, joined to `room`, with a journal of what it receives. */
export async function joined(room, nsp = "/", opts = {}) {
  const network = await proxied();
  const socket = recovering(nsp, { transports: ["websocket"], ...opts }, network.url);
  await waitConnect(socket);
  await ask(socket, "join", room);
  return { network, socket, log: journal(socket) };
}

/** Cuts the network, runs `meanwhile`, repairs it and resolves once the client is connected again. */
export async function dropAndReturn({ network, socket }, meanwhile) {
  const down = next(socket, "disconnect");
  network.cut();
  await down;
  await meanwhile();
  const back = next(socket, "connect", 30_000);
  network.restore();
  await back;
}
