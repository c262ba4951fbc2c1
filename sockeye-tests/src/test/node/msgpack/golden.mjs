// Captures golden msgpack packets from a real Node.js socket.io 4.8 server using socket.io-msgpack-parser
// 3.x, and the packets a real socket.io-client 4.8 with the same parser sends to it.
//
//   node golden.mjs            prints one JSON document on stdout:
//   {"server": [{"name": …, "hex": …}, …], "client": [{"name": …, "hex": …}, …]}
//
// "server" holds every binary frame the server sent for one named case (each case produces exactly
// one packet); "client" holds what the client's encoder produced. Run by MsgpackGoldenBytesTest,
// which asserts that Sockeye's encoder writes the same bytes for the same packets and decodes them
// back, and by hand to refresh the fuzzing seeds.
import http from "node:http";
import { Server } from "socket.io";
import { io as connect } from "socket.io-client";
import * as parser from "socket.io-msgpack-parser";

const WAIT_MS = 30_000;

// The client's side of the wire: every frame its decoder is given, every packet its encoder makes.
const received = [];
const sent = [];
class RecordingDecoder extends parser.Decoder {
  add(obj) {
    received.push(Buffer.from(obj));
    super.add(obj);
  }
}
class RecordingEncoder extends parser.Encoder {
  encode(packet) {
    const out = super.encode(packet);
    for (const frame of out) sent.push(Buffer.from(frame));
    return out;
  }
}
const recordingParser = { ...parser, Decoder: RecordingDecoder, Encoder: RecordingEncoder };

const httpServer = http.createServer();
const io = new Server(httpServer, { parser });

io.of("/guarded").use((socket, next) => {
  const err = new Error("not allowed");
  err.data = { code: 42, reason: "token expired" };
  next(err);
});
io.of("/guarded-no-data").use((socket, next) => next(new Error("go away")));
io.of("/custom").on("connection", () => {});

const sixteen = {};
for (let i = 0; i < 16; i++) sixteen["k" + i] = i;

// Each case makes the server send exactly one packet to the recording client.
const serverCases = {
  "event-string": (s) => s.emit("hello", "you"),
  "event-integers": (s) => s.emit("ints", 0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296,
    9007199254740991, -1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, -9007199254740991),
  "event-floats": (s) => s.emit("floats", 1.5, -0.25, 0.1, 2.0, -0, 1e-300, NaN, Infinity, -Infinity),
  "event-strings": (s) => s.emit("strings", "", "é€😀", "x".repeat(31), "y".repeat(32), "z".repeat(255),
    "w".repeat(256), "v".repeat(65536)),
  "event-nested": (s) => s.emit("nested", { a: 1, b: [true, false, null], c: { d: "deep", e: [[], {}] } }),
  "event-big-containers": (s) => s.emit("big", Array.from({ length: 16 }, (_, i) => i), sixteen),
  "event-binary": (s) => s.emit("bin", Buffer.from([1, 2, 3]), { file: Buffer.alloc(300, 7) }, Buffer.alloc(0)),
  "event-arraybuffer": (s) => s.emit("ab", new Uint8Array([9, 8, 7]).buffer),
  "event-date": (s) => s.emit("date", new Date(1700000000123), new Date(-1)),
  "event-undefined": (s) => s.emit("undef", undefined, { x: undefined, y: 1 }, [undefined]),
  "event-with-ack": (s) => s.emit("question", 1, () => {}),
  "ack": (s) => s.emit("ask-me"), // the client emits "answer-this" with an ack; see below
  "broadcast": (s) => io.emit("broadcast", "all"),
  "broadcast-with-ack": (s) => io.timeout(WAIT_MS).emit("broadcast-ack", 1, () => {}),
  "disconnect": (s) => s.disconnect(),
};

httpServer.listen(0, "127.0.0.1");
await new Promise((resolve) => httpServer.once("listening", resolve));
const url = `http://127.0.0.1:${httpServer.address().port}`;

function withTimeout(promise, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${WAIT_MS} ms`)), WAIT_MS);
  })]).finally(() => clearTimeout(timer));
}

/** Runs `action` and returns the frames the client received meanwhile, once `count` arrived. */
async function capture(action, count, what) {
  const from = received.length;
  await action();
  await withTimeout(new Promise((resolve) => {
    const poll = () => (received.length - from >= count ? resolve() : setTimeout(poll, 5));
    poll();
  }), what);
  return received.slice(from, from + count);
}

function client(nsp) {
  return connect(url + nsp, { parser: recordingParser, transports: ["websocket"], forceNew: true, reconnection: false });
}

const server = [];
const clientPackets = [];
const record = (list, name, frames) => {
  if (frames.length !== 1) throw new Error(`${name}: expected one frame, got ${frames.length}`);
  list.push({ name, hex: frames[0].toString("hex") });
};

// CONNECT replies and refusals, one connection each.
for (const [name, nsp, event] of [
  ["connect", "/", "connect"],
  ["connect-custom-namespace", "/custom", "connect"],
  ["connect-error-invalid-namespace", "/nope", "connect_error"],
  ["connect-error-middleware", "/guarded", "connect_error"],
  ["connect-error-middleware-no-data", "/guarded-no-data", "connect_error"],
]) {
  let socket;
  const sentBefore = sent.length;
  const frames = await capture(async () => {
    socket = client(nsp);
    await withTimeout(new Promise((resolve) => socket.once(event, resolve)), name);
  }, 1, name);
  record(server, name, frames);
  if (name === "connect") record(clientPackets, "client-connect", sent.slice(sentBefore));
  if (name === "connect-custom-namespace") record(clientPackets, "client-connect-custom-namespace", sent.slice(sentBefore));
  socket.close();
}

// Events, acks and the rest on one connection.
const socket = client("/");
const serverSocket = await withTimeout(new Promise((resolve) => io.once("connection", resolve)), "connection");
await withTimeout(new Promise((resolve) => (socket.connected ? resolve() : socket.once("connect", resolve))), "connect");
received.length = 0;
serverSocket.on("answer-this", (a, b, ack) => ack("answer", 42));
socket.on("ask-me", () => socket.emit("answer-this", "q", 7, () => {}));
socket.on("question", (n, ack) => {});
socket.on("broadcast-ack", (n, ack) => ack("ok"));

for (const [name, action] of Object.entries(serverCases)) {
  const frames = await capture(async () => {
    await action(serverSocket);
  }, name === "ack" ? 2 : 1, name);
  // The "ack" case: the first frame is the "ask-me" event, the second the ACK the test is after.
  record(server, name, name === "ack" ? frames.slice(1) : frames);
}

// What the client sends: events with each kind of value, an ack, a disconnect.
const other = client("/");
await withTimeout(new Promise((resolve) => other.once("connect", resolve)), "connect");
const clientCases = {
  "client-event": () => other.emit("hello", "world", 1, 2.5, true, null, { a: [1, "b"] }),
  "client-event-binary": () => other.emit("upload", Buffer.from([1, 2, 3]), new Uint8Array([4, 5]).buffer),
  "client-event-date-undefined": () => other.emit("when", new Date(1700000000123), undefined, { u: undefined }),
  "client-event-with-ack": () => other.emit("question", "why", () => {}),
  "client-ack": () => {
    other.once("please-ack", (ack) => ack("done", 1));
    io.of("/").sockets.get(other.id).emit("please-ack", () => {});
  },
  "client-disconnect": () => other.disconnect(),
};
for (const [name, action] of Object.entries(clientCases)) {
  const from = sent.length;
  action();
  await withTimeout(new Promise((resolve) => {
    const poll = () => (sent.length > from ? resolve() : setTimeout(poll, 5));
    poll();
  }), name);
  record(clientPackets, name, sent.slice(from, from + 1));
}

socket.close();
io.close();
httpServer.close();
// Exit only once stdout is flushed: to a pipe, the write is asynchronous.
process.stdout.write(JSON.stringify({ server, client: clientPackets }) + "\n", () => process.exit(0));
