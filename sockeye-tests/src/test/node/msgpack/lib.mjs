// Helpers for the msgpack scenarios: socket.io-client 4.8 with socket.io-msgpack-parser 3.x against a
// Sockeye server, whose base URL arrives in SOCKEYE_URL. SOCKEYE_TRANSPORT picks the transport
// ("websocket", "polling", or "default" for polling then upgrade). The waits are the interop
// scenarios' (lib/waits.mjs, which imports nothing, so this project can share it).
import { io } from "socket.io-client";
import * as msgpackParser from "socket.io-msgpack-parser";
import { WAIT_MS, waitConnect, next, ask } from "../lib/waits.mjs";

export { WAIT_MS, waitConnect, next, ask };

export const SOCKEYE_URL = process.env.SOCKEYE_URL?.replace(/\/$/, "");
if (!SOCKEYE_URL) {
  throw new Error("SOCKEYE_URL is not set: run these scenarios through their Java test, or export SOCKEYE_URL=http://127.0.0.1:<port>");
}
export const TRANSPORT = process.env.SOCKEYE_TRANSPORT ?? "websocket";

const created = new Set();

function transports() {
  return TRANSPORT === "default" ? ["polling", "websocket"] : [TRANSPORT];
}

/** A client with the msgpack parser (or, with `json: true`, socket.io's default JSON parser). */
export function client(nsp = "/", { json = false, ...opts } = {}, baseUrl = SOCKEYE_URL) {
  const socket = io(baseUrl + nsp, {
    forceNew: true, reconnection: false, timeout: WAIT_MS, transports: transports(),
    ...(json ? {} : { parser: msgpackParser }), ...opts,
  });
  created.add(socket);
  return socket;
}

/** A connected client; rejects on connect_error. */
export async function connected(nsp = "/", opts = {}, baseUrl = SOCKEYE_URL) {
  const socket = client(nsp, opts, baseUrl);
  await waitConnect(socket, `connect to ${nsp}`);
  return socket;
}

/** Disconnects every socket this file created; use as the `after` hook. */
export function closeAll() {
  for (const socket of created) {
    socket.disconnect();
    socket.io.engine?.close();
  }
  created.clear();
}
