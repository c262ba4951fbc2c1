// A Node.js socket.io 4.8 server with socket.io-msgpack-parser 3.x: the reference the Java client's
// msgpack parser is tested against (JavaClientMsgpackTest), with the handlers of Sockeye's side of
// that test (InteropApp) that the test uses, answering the same way.
//
//   node server.mjs        prints "READY <port>" once listening on 127.0.0.1, runs until killed.
import http from "node:http";
import { Server } from "socket.io";
import * as parser from "socket.io-msgpack-parser";

const httpServer = http.createServer();
const io = new Server(httpServer, { parser });

function install(nsp) {
  nsp.on("connection", (socket) => {
    socket.emit("auth", socket.handshake.auth);
    socket.on("message-with-ack", (...args) => {
      const ack = args.pop();
      ack(...args);
    });
    socket.on("describe", (...args) => {
      const ack = args.pop();
      ack(args.map(describe));
    });
    socket.on("ask-me", (value, timeoutMs) => {
      socket.timeout(timeoutMs ?? 30_000).emit("server-question", value, (err, ...reply) => {
        if (err) socket.emit("server-ack-timeout", String(err.message));
        else socket.emit("server-got-answer", ...reply);
      });
    });
    socket.on("binary-from-server", (ack) => {
      socket.emit("binary", { single: Buffer.from([1, 2, 3]), list: [Buffer.from([4, 5]), "text", Buffer.alloc(0)],
        nested: { deep: Buffer.from([255, 0]) } }, Buffer.from([6]));
      if (typeof ack === "function") ack({ ack: Buffer.from([7, 7, 7]) });
    });
    socket.on("which-namespace", (ack) => ack(socket.nsp.name));
    socket.on("join", (room, ack) => {
      socket.join(room);
      ack();
    });
    // {via: "io", to: [rooms], event, data, marker}: the subset of InteropApp's broadcast the test uses
    socket.on("broadcast", (spec, ack) => {
      (spec.to?.length ? nsp.to(spec.to) : nsp).emit(spec.event, spec.data);
      nsp.emit("marker", spec.marker);
      ack();
    });
  });
}

/** InteropApp's describe: binary as "bytes:<hex>", containers walked, anything else its Java class name. */
function describe(value) {
  if (value === null || value === undefined) return "null";
  if (Buffer.isBuffer(value)) return "bytes:" + value.toString("hex");
  if (value instanceof ArrayBuffer) return "bytes:" + Buffer.from(value).toString("hex");
  if (Array.isArray(value)) return value.map(describe);
  if (typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, describe(v)]));
  }
  if (value instanceof Date) return "Date";
  if (typeof value === "string") return "String";
  if (typeof value === "boolean") return "Boolean";
  return Number.isInteger(value) ? "Integer" : "Double";
}

install(io.of("/"));
install(io.of("/custom"));

httpServer.listen(0, "127.0.0.1", () => console.log(`READY ${httpServer.address().port}`));
