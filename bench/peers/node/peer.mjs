// The Node socket.io 4.8 peer of the Sockeye benchmark, started by bench/run (never by hand in CI).
// Same app and admin lines as every peer (see sockeye-bench's PeerConsole):
//   join(room, ack) -> join, ack();  publish({room, t, p}[, ack]) -> io.to(room).emit("msg", it), ack();  echo(x, ack) -> ack(x)
//   stdout: "READY <port>" once listening; stdin: "MEM" -> gc, "MEM heap=<heapUsed> rss=<rss> conns=<n>"; "QUIT" -> exit.
// Settings are socket.io's defaults spelled out (ping 25 s / 20 s, 1 MB, no compression), default `ws` engine.
// The "node-native" variant is this script with ws's native add-ons (bufferutil, utf-8-validate) allowed;
// bench/run turns them off for the plain variant with WS_NO_BUFFER_UTIL / WS_NO_UTF_8_VALIDATE.
// The "node-msgpack" variant (PEER_PARSER=msgpack) uses socket.io-msgpack-parser as socket.io's parser.
// Run with --expose-gc. Args: --port P [--max-lifetime-s S]
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { createRequire } from "node:module";
import { Server } from "socket.io";

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

function loads(name) {
  try {
    createRequire(import.meta.url)(name);
    return true;
  } catch {
    return false;
  }
}

const port = Number(arg("--port", "3000"));
const lifetimeS = Number(arg("--max-lifetime-s", "3600"));
const nativeAddons = !process.env.WS_NO_BUFFER_UTIL && loads("bufferutil") && loads("utf-8-validate");
const msgpack = process.env.PEER_PARSER === "msgpack";

const httpServer = createServer();
const io = new Server(httpServer, {
  pingInterval: 25000,
  pingTimeout: 20000,
  maxHttpBufferSize: 1e6,
  // PEER_PER_MESSAGE_DEFLATE (the node-deflate peer): ws compresses every message, per recipient.
  perMessageDeflate: process.env.PEER_PER_MESSAGE_DEFLATE ? { threshold: 0 } : false,
  httpCompression: false,
  transports: ["polling", "websocket"],
  serveClient: false,
  ...(msgpack ? { parser: createRequire(import.meta.url)("socket.io-msgpack-parser") } : {}),
});

let connections = 0;
io.on("connection", (socket) => {
  connections++;
  socket.on("disconnect", () => connections--);
  socket.on("join", (room, ack) => {
    socket.join(room);
    if (typeof ack === "function") ack();
  });
  socket.on("publish", (message, ack) => {
    if (message && typeof message.room === "string") io.to(message.room).emit("msg", message);
    if (typeof ack === "function") ack();
  });
  socket.on("echo", (message, ack) => {
    if (typeof ack === "function") ack(message);
  });
});

function stop(code) {
  io.close();
  process.exit(code);
}

createInterface({ input: process.stdin }).on("line", (line) => {
  const command = line.trim();
  if (command === "MEM") {
    global.gc();
    global.gc();
    const m = process.memoryUsage();
    process.stdout.write(`MEM heap=${m.heapUsed} rss=${m.rss} conns=${connections}\n`);
  } else if (command === "QUIT") {
    stop(0);
  }
}).on("close", () => stop(0)); // the runner went away

setTimeout(() => {
  process.stderr.write("peer: lifetime limit reached, exiting\n");
  stop(3);
}, lifetimeS * 1000).unref();

httpServer.listen(port, "0.0.0.0", 4096, () => {
  process.stderr.write(`socket.io ${createRequire(import.meta.url)("socket.io/package.json").version}, native ws add-ons: ${nativeAddons}, parser: ${msgpack ? "msgpack" : "default"}\n`);
  process.stdout.write(`READY ${port}\n`);
});
