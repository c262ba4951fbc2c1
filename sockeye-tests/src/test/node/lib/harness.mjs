// Shared helpers for the interop scenarios. Each scenario file is a node:test file run by
// NodeInteropTest (sockeye-tests) against a fresh embedded Sockeye server running
// io.sockeye.tests.interop.InteropApp; the server's base URL arrives in SOCKEYE_URL.
//
// Everything here waits with a deadline and fails with a sentence that names what was awaited,
// so a failure in the Maven log says what the client saw, not just "timeout" (see waits.mjs).
import { createHmac } from "node:crypto";
import { io } from "socket.io-client";
import { WAIT_MS, waitConnect, next, ask, eventually } from "./waits.mjs";

export { WAIT_MS, waitConnect, next, ask, eventually };

export const SOCKEYE_URL = process.env.SOCKEYE_URL;
if (!SOCKEYE_URL) {
  throw new Error("SOCKEYE_URL is not set: run these scenarios through NodeInteropTest, or export SOCKEYE_URL=http://127.0.0.1:<port>");
}

const created = new Set();

/**
 * Opens a client socket. Defaults: a new Manager per socket (forceNew) so scenarios never share an
 * Engine.IO connection by accident, and no reconnection unless the scenario asks for it.
 */
export function client(nsp = "/", opts = {}, baseUrl = SOCKEYE_URL) {
  const socket = io(baseUrl + nsp, { forceNew: true, reconnection: false, timeout: WAIT_MS, ...opts });
  created.add(socket);
  return socket;
}

/** Opens a client socket and resolves once it is connected; rejects on connect_error. */
export async function connected(nsp = "/", opts = {}, baseUrl = SOCKEYE_URL) {
  const socket = client(nsp, opts, baseUrl);
  await waitConnect(socket, `connect to ${nsp} (${JSON.stringify(opts.transports ?? "default transports")})`);
  return socket;
}

/**
 * Asks the server (through a separate, short-lived client) why socket `id` was disconnected on the
 * server side; InteropApp records every server-side disconnect reason by socket id.
 */
export async function serverDisconnectReason(id, baseUrl = SOCKEYE_URL) {
  const probe = await connected("/", { transports: ["websocket"] }, baseUrl);
  try {
    return await eventually(`server-side disconnect reason of ${id}`, async () => {
      const [reason] = await ask(probe, "disconnect-reason", id);
      return reason ?? undefined;
    });
  } finally {
    probe.disconnect();
  }
}

/**
 * Asks InteropApp to stop the whole Sockeye server and start a new one on the same port, like a
 * process restart: every connection is closed by the server without any Socket.IO goodbye.
 * Resolves with the generation number of the server that is being stopped.
 */
export async function restartServer(socket) {
  const [generation] = await ask(socket, "server-generation");
  socket.emit("server:restart");
  return generation;
}

/** Resolves once a fresh client reaches a server newer than `generation` (see restartServer). */
export async function serverIsBack(generation) {
  await eventually(`a server newer than generation ${generation} accepts connections`, async () => {
    const probe = client("/", { transports: ["websocket"] });
    try {
      await waitConnect(probe);
      const [current] = await ask(probe, "server-generation");
      return current > generation ? current : undefined;
    } catch {
      return undefined;
    } finally {
      probe.disconnect();
      created.delete(probe);
    }
  }, 30_000);
}

/** Disconnects every socket this file created; use as the `after`/`afterEach` hook. */
export function closeAll() {
  for (const socket of created) {
    socket.disconnect();
    socket.io.engine?.close();
  }
  created.clear();
}

/**
 * An HS256 token for `sub` that expires in `seconds`, signed as a backend would with the shared secret
 * $SOCKEYE_JWT_SECRET; `exp` is its expiry in epoch seconds.
 */
export function hs256Token(sub, seconds) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub, iat: now, exp: now + seconds })}`;
  const signature = createHmac("sha256", process.env.SOCKEYE_JWT_SECRET).update(unsigned).digest("base64url");
  return { token: `${unsigned}.${signature}`, exp: now + seconds };
}
