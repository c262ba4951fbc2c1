// The official Admin UI's side of the /admin namespace, played by socket.io-client 4.x (resolved from
// the parent node project, src/test/node): what https://admin.socket.io does when pointed at a server.
//   node admin-ui-client.mjs <server url> <username> <password> [development]
// Prints "config <features>", "server_stats ok" and "wrong password: invalid credentials"; exit 0 if all.
// With "development" (server started with --admin-ui-mode development) it also plays a Sockeye
// client on "/" (anonymous access) and prints, as the UI receives each event about that client:
// "all_sockets ok", "socket_connected ok", "event_received ok" (its subscribe), "room_joined ok",
// "event_sent ok" (a publish delivered to it), "room_left ok" (its unsubscribe), "socket_disconnected ok".
import { io } from "socket.io-client";

const [url, username, password, mode] = process.argv.slice(2);
if (!url || !username || !password) {
  console.error("usage: node admin-ui-client.mjs <server url> <username> <password>");
  process.exit(2);
}
const base = url.replace(/\/$/, "");
const TIMEOUT = 30000;

function withTimeout(promise, what) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("timed out: " + what)), TIMEOUT))]);
}

async function goodLogin() {
  // Like the UI: polling first, then upgrade; credentials in the CONNECT auth.
  const socket = io(base + "/admin", { auth: { username, password }, reconnection: false, withCredentials: true });
  try {
    const session = new Promise((resolve) => socket.once("session", resolve));
    const config = new Promise((resolve) => socket.once("config", resolve));
    const allSockets = new Promise((resolve) => socket.once("all_sockets", resolve));
    const stats = new Promise((resolve) => socket.on("server_stats", (s) => { if (s.clientsCount >= 1) resolve(s); }));
    const error = new Promise((_, reject) => socket.once("connect_error", (e) => reject(new Error("connect_error: " + e.message))));
    const id = await withTimeout(Promise.race([session, error]), "session");
    if (typeof id !== "string" || id.length < 16) throw new Error("bad session id " + id);
    const c = await withTimeout(config, "config");
    console.log("config " + c.supportedFeatures.join(","));
    const s = await withTimeout(stats, "server_stats");
    for (const key of ["serverId", "hostname", "pid", "uptime", "clientsCount", "pollingClientsCount", "aggregatedEvents", "namespaces"]) {
      if (!(key in s)) throw new Error("server_stats lacks " + key);
    }
    if (!s.namespaces.some((n) => n.name === "/admin" && n.socketsCount >= 1)) throw new Error("no /admin in " + JSON.stringify(s.namespaces));
    console.log("server_stats ok");
    if (mode === "development") await development(socket, allSockets);
  } finally {
    socket.close();
  }
}

// Waits for the first `event` whose arguments satisfy `test`.
function next(socket, event, test) {
  return withTimeout(new Promise((resolve) => {
    const listener = (...args) => {
      if (test(...args)) {
        socket.off(event, listener);
        resolve(args);
      }
    };
    socket.on(event, listener);
  }), event);
}

const isDate = (d) => typeof d === "string" && !Number.isNaN(Date.parse(d)) && d.endsWith("Z");

async function development(admin, allSockets) {
  const all = await withTimeout(allSockets, "all_sockets");
  if (!Array.isArray(all)) throw new Error("all_sockets is not a list");
  console.log("all_sockets ok");

  const client = io(base + "/", { reconnection: false, transports: ["websocket"] });
  try {
    const [serialized, date] = await next(admin, "socket_connected", (s) => s.nsp === "/");
    for (const key of ["id", "clientId", "transport", "nsp", "data", "handshake", "rooms"]) {
      if (!(key in serialized)) throw new Error("socket_connected lacks " + key);
    }
    if (!serialized.handshake.address || !isDate(date)) throw new Error("bad socket_connected " + JSON.stringify(serialized));
    await withTimeout(new Promise((resolve) => (client.connected ? resolve() : client.once("connect", resolve))), "connect");
    if (serialized.id !== client.id) throw new Error(`socket_connected for ${serialized.id}, client is ${client.id}`);
    console.log("socket_connected ok");

    const received = next(admin, "event_received", (nsp, id, args) => id === client.id && args[0] === "subscribe");
    const joined = next(admin, "room_joined", (nsp, room, id) => nsp === "/" && room === "lobby" && id === client.id);
    const reply = await withTimeout(client.emitWithAck("subscribe", "lobby"), "subscribe");
    if (!reply.ok) throw new Error("subscribe refused " + JSON.stringify(reply));
    const [, , args, receivedDate] = await received;
    if (args[1] !== "lobby" || !isDate(receivedDate)) throw new Error("bad event_received " + JSON.stringify(args));
    console.log("event_received ok");
    await joined;
    console.log("room_joined ok");

    const sent = next(admin, "event_sent", (nsp, id, args) => id === client.id && args[0] === "admin-ui-test");
    await withTimeout(client.emitWithAck("publish", { room: "lobby", event: "admin-ui-test", data: { n: 1 } }), "publish");
    await sent;
    console.log("event_sent ok");

    const left = next(admin, "room_left", (nsp, room, id) => room === "lobby" && id === client.id);
    await withTimeout(client.emitWithAck("unsubscribe", "lobby"), "unsubscribe");
    await left;
    console.log("room_left ok");

    const gone = next(admin, "socket_disconnected", (nsp, id, reason, d) => id === serialized.id && isDate(d));
    client.disconnect();
    const [, , reason] = await gone;
    if (reason !== "client namespace disconnect") throw new Error("disconnect reason " + reason);
    console.log("socket_disconnected ok");
  } finally {
    client.close();
  }
}

async function wrongLogin() {
  const socket = io(base + "/admin", { auth: { username, password: password + "-wrong" }, reconnection: false });
  try {
    const message = await withTimeout(new Promise((resolve, reject) => {
      socket.once("connect_error", (e) => resolve(e.message));
      socket.once("connect", () => reject(new Error("connected with a wrong password")));
    }), "connect_error");
    console.log("wrong password: " + message);
    if (message !== "invalid credentials") throw new Error("unexpected error " + message);
  } finally {
    socket.close();
  }
}

try {
  await goodLogin();
  await wrongLogin();
  process.exit(0);
} catch (e) {
  console.error("FAILED: " + (e && e.stack ? e.stack : e));
  process.exit(1);
}
