// permessage-deflate with the npm `ws` client (Node's reference WebSocket implementation), speaking raw
// Engine.IO/Socket.IO to a Sockeye server that has compression on (run by PerMessageDeflateClientsTest).
//   node deflate/ws-client.mjs <ws url of /socket.io/> <payload chars>
// The server's app: every socket joins "room"; "burst" broadcasts three "news" events of <payload chars>
// to it; "echo" acknowledges with its argument. Prints "ok: ..." per step and exits 0 when all held.
import WebSocket from "ws";
import http from "node:http";
import assert from "node:assert/strict";
import { WAIT_MS } from "../lib/waits.mjs";

const [url, chars] = process.argv.slice(2);
const PAYLOAD = Number(chars);
const BROADCASTS = 3;
const expectedNews = (i) => `42["news","${String.fromCharCode(97 + i).repeat(PAYLOAD)}"]`;

/** An Engine.IO session over ws with deflate offered (ws's default), connected to "/". */
async function open(name) {
  const ws = new WebSocket(url + "?EIO=4&transport=websocket", { perMessageDeflate: true });
  const inbox = [];
  const waiters = [];
  ws.on("message", (data, isBinary) => {
    const text = isBinary ? "bin" : data.toString();
    if (text === "2") return ws.send("3"); // Engine.IO ping
    inbox.push(text);
    waiters.splice(0).forEach((w) => w());
  });
  const client = {
    name, ws, inbox,
    closed: new Promise((resolve) => ws.on("close", (code) => resolve(code))),
    async take(predicate, what) {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const i = inbox.findIndex(predicate);
        if (i >= 0) return inbox.splice(i, 1)[0];
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${name}: no ${what} within ${WAIT_MS} ms; got ${inbox.map((m) => m.slice(0, 40))}`);
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => { clearTimeout(timer); resolve(); });
        });
      }
    },
  };
  await client.take((m) => m.startsWith("0{"), "Engine.IO open");
  assert.equal(ws.extensions, "permessage-deflate", `${name}: deflate negotiated`);
  // The parameters the server answered, as ws parsed them (ws exposes only the extension names).
  const params = ws._extensions["permessage-deflate"].params;
  assert.equal(params.server_no_context_takeover, true);
  assert.equal(params.client_no_context_takeover, true);
  ws.send("40");
  await client.take((m) => m.startsWith("40{"), "CONNECT reply");
  return client;
}

async function burst(from, receivers) {
  from.ws.send('42["burst"]');
  for (const c of receivers) {
    for (let i = 0; i < BROADCASTS; i++) {
      await c.take((m) => m === expectedNews(i), `news ${i}`);
    }
  }
}

const alice = await open("alice");
const bob = await open("bob");
const carol = await open("carol");
console.log(`ok: deflate negotiated: ${JSON.stringify(alice.ws._extensions["permessage-deflate"].params)}`);

const before = [alice, bob, carol].map((c) => c.ws._socket.bytesRead);
await burst(alice, [alice, bob, carol]);
const wire = [alice, bob, carol].map((c, i) => c.ws._socket.bytesRead - before[i]);
for (const bytes of wire) {
  assert.ok(bytes < BROADCASTS * PAYLOAD / 4, `compressed on the wire: ${bytes} bytes for ${BROADCASTS * PAYLOAD} chars`);
}
console.log(`ok: ${BROADCASTS} broadcasts inflated by every client; bytes on the wire per client: ${wire}`);

const big = "echo ".repeat(1000); // over ws's 1024-byte threshold: ws sends it compressed
alice.ws.send(`421["echo","${big}"]`);
await alice.take((m) => m === `431["${big}"]`, "echo ack");
console.log("ok: a compressed message from the client was inflated and its compressed answer read");

// A compression bomb: a few KiB on the wire, far past the server's message size limit once inflated.
carol.ws.send(`42["bomb","${"0".repeat(4_000_000)}"]`);
const code = await Promise.race([carol.closed, new Promise((r) => setTimeout(() => r("still open"), WAIT_MS))]);
assert.equal(code, 1009, "the bomb's connection closes with 1009");
await burst(alice, [alice, bob]);
console.log("ok: a compression bomb closed its connection with 1009; the others still receive broadcasts");

// A bad offer is declined (RFC 7692 §7): the handshake succeeds without the extension.
const answer = await new Promise((resolve, reject) => {
  const target = new URL(url + "?EIO=4&transport=websocket");
  const req = http.request({
    host: target.hostname, port: target.port, path: target.pathname + target.search,
    headers: {
      Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13",
      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits=99",
    },
  });
  req.on("upgrade", (res, socket) => { socket.destroy(); resolve(res); });
  req.on("response", (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
  req.on("error", reject);
  req.setTimeout(WAIT_MS, () => req.destroy(new Error("no answer to the upgrade")));
  req.end();
});
assert.equal(answer.statusCode, 101);
assert.equal(answer.headers["sec-websocket-extensions"], undefined, "no extension for a bad offer");
console.log("ok: client_max_window_bits=99 declined: 101 without Sec-WebSocket-Extensions");

for (const c of [alice, bob]) c.ws.close();
