// Server-Sent Events over HTTP/2 with Node's own http2 client (run by SseHttp2Test): one session — h2c with
// prior knowledge for an http: URL, TLS with ALPN for https: — carries more streams than a browser's six
// HTTP/1.1 connections per origin, publishes over the same session (POST /api/publish), and every stream
// receives the event.
//   node sse-http2.mjs <server url> <api key>
// Prints "ok: ..." and exits 0 when every stream received the event.
import http2 from "node:http2";

const [base, apiKey] = process.argv.slice(2);
const STREAMS = 10;
const timer = setTimeout(() => { console.error("timed out"); process.exit(1); }, 30000);
const session = http2.connect(base, { rejectUnauthorized: false });
session.on("error", (e) => { console.error(e); process.exit(1); });

function open(i) {
  return new Promise((resolve, reject) => {
    const req = session.request({ ":path": "/sse?rooms=h2", accept: "text/event-stream" });
    const stream = { events: [], waiting: null };
    let buffer = "";
    req.setEncoding("utf8");
    req.on("response", (headers) => {
      if (headers[":status"] !== 200 || !String(headers["content-type"]).startsWith("text/event-stream")) {
        reject(new Error(`stream ${i}: ${headers[":status"]} ${headers["content-type"]}`));
      } else {
        resolve(stream);
      }
    });
    req.on("data", (chunk) => {
      buffer += chunk;
      for (let end; (end = buffer.indexOf("\n\n")) >= 0; buffer = buffer.slice(end + 2)) {
        const fields = Object.fromEntries(buffer.slice(0, end).split("\n").filter((l) => !l.startsWith(":"))
          .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)]));
        if (fields.event) {
          stream.events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
          stream.waiting?.();
        }
      }
    });
    req.on("error", reject);
  });
}

function publish() {
  return new Promise((resolve, reject) => {
    const req = session.request({ ":method": "POST", ":path": "/api/publish", authorization: `Bearer ${apiKey}`,
      "content-type": "application/json" });
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => { body += c; });
    req.on("end", () => (JSON.parse(body).ok ? resolve(JSON.parse(body)) : reject(new Error(body))));
    req.on("error", reject);
    req.end(JSON.stringify({ room: "h2", event: "tick", data: { n: 1 } }));
  });
}

try {
  const streams = await Promise.all(Array.from({ length: STREAMS }, (_, i) => open(i)));
  const published = await publish();
  await Promise.all(streams.map((s) => (s.events.length > 0 ? null : new Promise((r) => { s.waiting = r; }))));
  const intact = streams.every((s) => s.events[0].event === "tick" && s.events[0].data.data.n === 1
    && s.events[0].id === published.offset);
  const protocol = session.alpnProtocol;
  console.log(`session protocol: ${protocol}`);
  if (intact) {
    console.log(`ok: ${STREAMS} SSE streams on one HTTP/2 session (${protocol}) each received the event`);
    clearTimeout(timer);
    session.close();
    process.exit(0);
  }
  console.error("events:", JSON.stringify(streams.map((s) => s.events)));
} catch (e) {
  console.error(e);
}
process.exit(1);
