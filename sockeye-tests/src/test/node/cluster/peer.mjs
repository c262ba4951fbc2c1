// A Node.js cluster peer for the Redis adapter tests: a socket.io 4.8 server with
// @socket.io/redis-adapter 8.3 (classic or sharded) or @socket.io/redis-streams-adapter 0.3 (streams)
// on the given Redis, plus socket.io-client clients it hosts on demand. The Java test drives it over
// HTTP: POST /control {"op": ...} → JSON.
//
//   node peer.mjs --redis redis://127.0.0.1:6379 [--mode classic|sharded|streams] [--subscription-mode dynamic|static]
//                 [--requests-timeout 5000] [--port 0] [--namespaces /,/custom] [--recovery <window ms>]
//
// --recovery turns connection state recovery on (streams mode); its clients can then be dropped
// ("drop") and reconnected to any server ("reconnect"), presenting their pid and last offset.
//
// Prints one line `READY {"port":…,"uids":{nsp:uid}}` once every namespace's adapter is subscribed.
// Binary values travel in the control JSON as {"$bin": "<base64>"}. A command with "noWait": true
// is started and answered at once.
import http from "node:http";
import { Server } from "socket.io";
import { createClient } from "redis";
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { createAdapter as createStreamsAdapter } from "@socket.io/redis-streams-adapter";
import { io as connectClient } from "socket.io-client";

const options = parseArgs(process.argv.slice(2));
const namespaces = options.namespaces.split(",");

const pubClient = createClient({ url: options.redis });
const subClient = pubClient.duplicate();
// Without listeners node-redis throws on connection errors; the fault tests kill Redis on purpose.
pubClient.on("error", (e) => console.log("pub error", e.message));
subClient.on("error", (e) => console.log("sub error", e.message));
await Promise.all([pubClient.connect(), subClient.connect()]);

// The streams adapter reads the stream from "$" on a connection of its own, started asynchronously:
// READY waits until one more XREAD is blocked in Redis than before, so nothing published after READY
// is missed.
const blockedReadsBefore = await blockedReads();
const adapter = options.mode === "sharded"
  ? createShardedAdapter(pubClient, subClient, { subscriptionMode: options.subscriptionMode })
  : options.mode === "streams"
    ? createStreamsAdapter(pubClient)
    : createAdapter(pubClient, subClient, { requestsTimeout: options.requestsTimeout });

const serverSideEmits = [];
const clients = new Map(); // name -> { socket, events }

const httpServer = http.createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/control") {
    res.writeHead(404).end();
    return;
  }
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", async () => {
    try {
      const result = await control(JSON.parse(body));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ result: toWire(result) }));
    } catch (e) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ error: String(e && e.message || e) }));
    }
  });
});

const io = new Server(httpServer, {
  adapter,
  cors: { origin: "*" },
  connectionStateRecovery: options.recovery ? { maxDisconnectionDuration: options.recovery } : undefined,
});
for (const name of namespaces) {
  const nsp = io.of(name);
  nsp.on("connection", (socket) => {
    socket.data = { side: "node" };
    socket.on("join", (room, ack) => {
      socket.join(room);
      if (typeof ack === "function") ack("joined");
    });
    socket.on("leave", (room, ack) => {
      socket.leave(room);
      if (typeof ack === "function") ack("left");
    });
  });
  // serverSideEmit from other nodes arrives as a namespace event.
  nsp.on("ping", (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    serverSideEmits.push({ nsp: name, args });
    if (ack) ack("node-pong");
  });
}

httpServer.listen(options.port, "127.0.0.1", async () => {
  const uids = {};
  for (const name of namespaces) {
    const nspAdapter = io.of(name).adapter;
    uids[name] = nspAdapter.uid;
    // The adapter subscribes asynchronously; our own subscription shows in the subscriber count.
    while ((await nspAdapter.serverCount()) < 1) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  while (options.mode === "streams" && (await blockedReads()) <= blockedReadsBefore) {
    await new Promise((r) => setTimeout(r, 20));
  }
  console.log("READY " + JSON.stringify({ port: httpServer.address().port, uids }));
});

async function control(cmd) {
  if (cmd.noWait) {
    // Start the operation and answer at once (golden captures only need what it publishes).
    control({ ...cmd, noWait: false }).catch(() => {});
    return true;
  }
  const nsp = io.of(cmd.nsp || "/");
  const target = () => {
    let op = nsp;
    if (cmd.to && cmd.to.length) op = op.to(cmd.to);
    if (cmd.except && cmd.except.length) op = op.except(cmd.except);
    if (cmd.volatile) op = op.volatile;
    if (cmd.local) op = op.local;
    return op;
  };
  switch (cmd.op) {
    case "emit":
      if (cmd.ackTimeout) {
        return await target().timeout(cmd.ackTimeout).emitWithAck(cmd.event, ...fromWire(cmd.args || []));
      }
      target().emit(cmd.event, ...fromWire(cmd.args || []));
      return true;
    case "socketsJoin":
      target().socketsJoin(cmd.rooms);
      return true;
    case "socketsLeave":
      target().socketsLeave(cmd.rooms);
      return true;
    case "disconnectSockets":
      target().disconnectSockets(!!cmd.close);
      return true;
    case "serverSideEmit":
      if (cmd.withAck) {
        return await nsp.serverSideEmitWithAck(cmd.event, ...fromWire(cmd.args || []));
      }
      nsp.serverSideEmit(cmd.event, ...fromWire(cmd.args || []));
      return true;
    case "fetchSockets": {
      const sockets = await target().fetchSockets();
      return sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data, handshake: s.handshake }));
    }
    case "allRooms":
      return [...(await nsp.adapter.allRooms())];
    case "serverCount":
      return await nsp.adapter.serverCount();
    case "serverSideEmits":
      return serverSideEmits;
    case "connect":
      return await connect(cmd);
    case "clientEmit": {
      const client = clients.get(cmd.name);
      if (cmd.withAck) {
        return await client.socket.timeout(cmd.withAck).emitWithAck(cmd.event, ...fromWire(cmd.args || []));
      }
      client.socket.emit(cmd.event, ...fromWire(cmd.args || []));
      return true;
    }
    case "events":
      return clients.get(cmd.name).events;
    case "clientState": {
      const client = clients.get(cmd.name);
      const { socket } = client;
      return { connected: socket.connected, id: socket.id || null, disconnects: client.disconnects,
        recovered: !!socket.recovered, pid: socket._pid || null, lastOffset: socket._lastOffset || null };
    }
    case "drop": {
      // The transport closes under the client, as on a network drop: the server sees "transport close".
      clients.get(cmd.name).socket.io.engine.close();
      return true;
    }
    case "reconnect":
      return await reconnect(clients.get(cmd.name), cmd.url);
    default:
      throw new Error("unknown op " + cmd.op);
  }
}

function connect(cmd) {
  return new Promise((resolve, reject) => {
    const socket = connectClient(cmd.url + (cmd.nsp && cmd.nsp !== "/" ? cmd.nsp : ""), {
      transports: cmd.transports || ["websocket"],
      reconnection: false,
      auth: cmd.auth || {},
      forceNew: true,
    });
    const client = { socket, events: [], disconnects: [] };
    clients.set(cmd.name, client);
    socket.onAny((...args) => {
      if (typeof args[args.length - 1] === "function") {
        const ack = args.pop();
        ack("ack-" + cmd.name);
      }
      client.events.push(args);
    });
    socket.on("disconnect", (reason) => client.disconnects.push(reason));
    socket.once("connect", () => resolve({ id: socket.id }));
    socket.once("connect_error", (e) => reject(e));
  });
}

/** Reconnects a dropped client to `url` (any server of the cluster), presenting its pid and offset. */
function reconnect(client, url) {
  return new Promise((resolve, reject) => {
    const { socket } = client;
    socket.io.uri = url;
    socket.once("connect", () => resolve({ id: socket.id, recovered: socket.recovered }));
    socket.once("connect_error", (e) => reject(e));
    socket.connect();
  });
}

/** How many connections are blocked in XREAD right now. */
async function blockedReads() {
  const list = await pubClient.sendCommand(["CLIENT", "LIST"]);
  return list.split("\n").filter((line) => / flags=b /.test(line) && / cmd=xread( |$)/.test(line)).length;
}

function toWire(value) {
  if (value === undefined) return null;
  if (Buffer.isBuffer(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    return { $bin: Buffer.from(value.buffer ? value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) : value).toString("base64") };
  }
  if (Array.isArray(value)) return value.map(toWire);
  if (value instanceof Error) return { $error: value.message };
  if (value && typeof value === "object") {
    if (value instanceof Date) return value.toISOString();
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = toWire(v);
    return out;
  }
  return value;
}

function fromWire(value) {
  if (Array.isArray(value)) return value.map(fromWire);
  if (value && typeof value === "object") {
    if (typeof value.$bin === "string") return Buffer.from(value.$bin, "base64");
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromWire(v);
    return out;
  }
  return value;
}

function parseArgs(argv) {
  const out = { redis: "redis://127.0.0.1:6379", mode: "classic", subscriptionMode: "dynamic", requestsTimeout: 5000, port: 0,
    namespaces: "/", recovery: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "").replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    out[key] = ["port", "requestsTimeout", "recovery"].includes(key) ? Number(argv[i + 1]) : argv[i + 1];
  }
  return out;
}
