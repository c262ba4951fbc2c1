// The official Admin UI's side of the /admin namespace, played by socket.io-client 4.x (resolved from
// the parent node project, src/test/node): what https://admin.socket.io does when pointed at a server.
//   node admin-ui-client.mjs <server url> <username> <password>
// Prints "config <features>", "server_stats ok" and "wrong password: invalid credentials"; exit 0 if all.
import { io } from "socket.io-client";

const [url, username, password] = process.argv.slice(2);
if (!url || !username || !password) {
  console.error("usage: node admin-ui-client.mjs <server url> <username> <password>");
  process.exit(2);
}
const base = url.replace(/\/$/, "");
const TIMEOUT = 20000;

function withTimeout(promise, what) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("timed out: " + what)), TIMEOUT))]);
}

async function goodLogin() {
  // Like the UI: polling first, then upgrade; credentials in the CONNECT auth.
  const socket = io(base + "/admin", { auth: { username, password }, reconnection: false, withCredentials: true });
  try {
    const session = new Promise((resolve) => socket.once("session", resolve));
    const config = new Promise((resolve) => socket.once("config", resolve));
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
  } finally {
    socket.close();
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
