// A TCP proxy between the client and Sockeye, used to produce the network conditions that a healthy
// server never produces by itself: a silent network (no pings arrive → client "ping timeout"), an
// abrupt connection drop (no close frame, no HTTP response), and a corrupted stream (bytes that are
// not a Socket.IO packet → client "parse error"). The server stays a stock, unmodified Sockeye.
import net from "node:net";

/**
 * Starts a proxy on 127.0.0.1 (ephemeral port) forwarding to the host:port of `targetUrl`.
 * Returns { url, connections, blackhole(), cut(), restore(), injectWebSocketText(text), close() }.
 */
export async function startProxy(targetUrl) {
  const target = new URL(targetUrl);
  const connections = new Set();
  let silent = false;
  let refusing = false;

  const server = net.createServer((downstream) => {
    if (refusing) {
      downstream.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    // A connection that was black-holed stays silent for good, even after restore(): only new
    // connections see the repaired network.
    const conn = { downstream, upstream, silent, toClient: new ServerToClientFramer(downstream) };
    connections.add(conn);
    downstream.on("data", (chunk) => { if (!conn.silent) upstream.write(chunk); });
    upstream.on("data", (chunk) => { if (!conn.silent) conn.toClient.push(chunk); });
    // In black-hole mode a close on one side must not reach the other: the client has to notice the
    // silence by itself, which is the whole point.
    // Connections stay in the set after closing, so close() can destroy a half left open by silence.
    downstream.on("close", () => { if (!conn.silent) upstream.destroy(); });
    upstream.on("close", () => { if (!conn.silent) downstream.destroy(); });
    downstream.on("error", () => {});
    upstream.on("error", () => {});
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;

  return {
    url,
    connections,
    /** From now on nothing is forwarded either way, and no connection is closed: a dead network. */
    blackhole() {
      silent = true;
      for (const c of connections) c.silent = true;
    },
    /**
     * The network is cut: every proxied connection is destroyed at once (no close frame, no HTTP
     * response) and new connections are closed as soon as they are accepted, until restore().
     */
    cut() {
      refusing = true;
      for (const c of connections) { c.downstream.destroy(); c.upstream.destroy(); }
    },
    /** Back to normal forwarding for new connections (after blackhole() or cut()). */
    restore() {
      refusing = false;
      silent = false;
    },
    /** Writes an extra unmasked WebSocket text frame to every client, between two server frames. */
    injectWebSocketText(text) {
      for (const c of connections) c.toClient.inject(text);
    },
    async close() {
      refusing = true;
      for (const c of connections) { c.downstream.destroy(); c.upstream.destroy(); }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Forwards the server→client byte stream, but only in whole WebSocket frames once the HTTP 101
 * response is through, so that an injected frame always lands on a frame boundary. Before the 101
 * (or on a plain HTTP/polling connection) bytes are forwarded as they come and injection is refused.
 */
class ServerToClientFramer {
  constructor(downstream) {
    this.downstream = downstream;
    this.buffer = Buffer.alloc(0);
    this.websocket = false;
  }

  push(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.websocket) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = this.buffer.subarray(0, end + 4);
      this.websocket = /^HTTP\/1\.1 101/.test(head.toString("latin1"));
      this.downstream.write(head);
      this.buffer = this.buffer.subarray(end + 4);
      if (!this.websocket) {
        // Not a WebSocket: forward the rest verbatim, now and later.
        this.downstream.write(this.buffer);
        this.buffer = Buffer.alloc(0);
        this.push = (c) => this.downstream.write(c);
        return;
      }
    }
    let frameLength;
    while ((frameLength = wholeFrameLength(this.buffer)) > 0) {
      this.downstream.write(this.buffer.subarray(0, frameLength));
      this.buffer = this.buffer.subarray(frameLength);
    }
  }

  inject(text) {
    if (!this.websocket) return;
    const payload = Buffer.from(text, "utf8");
    if (payload.length > 125) throw new Error("injectWebSocketText: keep injected frames under 126 bytes");
    // FIN + opcode 1 (text), no mask (server-to-client frames are never masked, RFC 6455 §5.1).
    this.downstream.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
  }
}

/** Length of the first frame in `buf` if it is complete, else 0. Server frames carry no mask. */
function wholeFrameLength(buf) {
  if (buf.length < 2) return 0;
  const len7 = buf[1] & 0x7f;
  let header = 2;
  let payload = len7;
  if (len7 === 126) {
    if (buf.length < 4) return 0;
    header = 4;
    payload = buf.readUInt16BE(2);
  } else if (len7 === 127) {
    if (buf.length < 10) return 0;
    header = 10;
    payload = Number(buf.readBigUInt64BE(2));
  }
  if (buf[1] & 0x80) header += 4; // a masked server frame is a protocol error, but keep framing honest
  return buf.length >= header + payload ? header + payload : 0;
}
