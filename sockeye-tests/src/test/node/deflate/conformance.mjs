// permessage-deflate conformance in the spirit of the Autobahn cases 12.* and 13.*, which the Autobahn
// release of the build lacks: the npm `ws` client (its own RFC 7692 implementation, on Node's zlib) offers
// the extension with every parameter combination those cases cover, checks the server's answer against what
// docs/compatibility.md promises, then sends text and binary messages from 0 bytes to past 128 KiB, each in
// one frame and fragmented, compressed, and requires every echo to come back byte for byte.
// Run by CompressionConformanceTest against the Autobahn echo server of sockeye-tests.
//   node deflate/conformance.mjs <ws url>
// Prints "ok: ..." per combination and a final "ok: compression conformance: ..." line; exits 1 on the first failure.
import WebSocket from "ws";
import http from "node:http";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { WAIT_MS } from "../lib/waits.mjs";

const [url] = process.argv.slice(2);
const ANSWER = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
// 0 and 1 byte, then the Autobahn ladder from 16 bytes to 64 KiB, and one byte past 128 KiB.
const SIZES = [0, 1, 16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131073];
const BURST = 50; // small messages sent back to back before any echo is awaited

let messages = 0;
let bytes = 0;

/** Deterministic bytes without a crypto dependency on the order of calls: SHA-256 in counter mode. */
function noise(length, seed) {
  const out = Buffer.alloc(length);
  for (let i = 0, block = 0; i < length; block++) {
    const h = createHash("sha256").update(`${seed}:${block}`).digest();
    i += h.copy(out, i);
  }
  return out;
}

// UTF-8 text with one-, two-, three- and four-byte characters, so a fragment boundary often falls inside one.
const PROSE = Buffer.from("To be, or not to be, that is the question: Whether 'tis nobler in the mind to suffer "
  + "the slings and arrows — «outrageous» fortune. Ça coûte 5 €, 東京, 🙂🐟. ");

/** A valid UTF-8 text of about `length` bytes (cut at a character boundary). */
function text(length) {
  const buf = Buffer.alloc(length + 4);
  for (let i = 0; i < buf.length; i += PROSE.length) PROSE.copy(buf, i);
  let end = length;
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--; // do not split a character
  return buf.subarray(0, end);
}

/** Binary that compresses in parts: random blocks and repeated ones, alternating. */
function binary(length, seed) {
  const out = noise(length, seed);
  for (let i = 512; i < length; i += 1024) out.copy(out, i, 0, Math.min(512, length - i));
  return out;
}

function connect(options) {
  const ws = new WebSocket(url, { perMessageDeflate: { threshold: 0, ...options } });
  const inbox = [];
  const waiters = [];
  let answer;
  let closeCode;
  ws.on("upgrade", (res) => { answer = res.headers["sec-websocket-extensions"]; });
  ws.on("message", (data, isBinary) => {
    inbox.push({ data, isBinary });
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise((resolve) => ws.on("close", (code) => {
    closeCode = code;
    waiters.splice(0).forEach((w) => w());
    resolve(code);
  }));
  const opened = new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
    setTimeout(() => reject(new Error(`no open within ${WAIT_MS} ms`)), WAIT_MS).unref();
  });
  return {
    ws, closed, opened,
    get answer() { return answer; },
    async next(what) {
      const deadline = Date.now() + WAIT_MS;
      while (inbox.length === 0) {
        if (closeCode !== undefined) throw new Error(`connection closed (${closeCode}) before the echo of ${what}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no echo of ${what} within ${WAIT_MS} ms`);
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => { clearTimeout(timer); resolve(); });
        });
      }
      return inbox.shift();
    },
  };
}

/** Sends `payload` in one frame, or fragmented into pieces of `fragment` bytes, all compressed. */
function send(ws, payload, isBinary, fragment) {
  if (!fragment || payload.length <= fragment) {
    ws.send(payload, { binary: isBinary, compress: true, fin: true });
    return;
  }
  for (let at = 0; at < payload.length; at += fragment) {
    ws.send(payload.subarray(at, at + fragment), { binary: isBinary, compress: true, fin: at + fragment >= payload.length });
  }
}

async function echo(client, payload, isBinary, fragment, what) {
  const read0 = client.ws._socket.bytesRead;
  const written0 = client.ws._socket.bytesWritten;
  send(client.ws, payload, isBinary, fragment);
  const got = await client.next(what);
  assert.equal(got.isBinary, isBinary, `${what}: echoed as ${got.isBinary ? "binary" : "text"}`);
  assert.ok(Buffer.from(got.data).equals(payload), `${what}: echo differs (${got.data.length} bytes back)`);
  messages++;
  bytes += payload.length;
  return { read: client.ws._socket.bytesRead - read0, written: client.ws._socket.bytesWritten - written0 };
}

/** One parameter combination: the answer, then every size, kind and framing, then a burst, then a clean close. */
async function combination(name, options, expectedAnswer) {
  const client = connect(options);
  await client.opened;
  if (expectedAnswer === null) {
    assert.equal(client.answer, undefined, `${name}: declined, so no Sec-WebSocket-Extensions`);
    assert.equal(client.ws.extensions, "", `${name}: no extension in use`);
  } else {
    assert.equal(client.answer, expectedAnswer, `${name}: the server's answer`);
    assert.equal(client.ws.extensions, "permessage-deflate", `${name}: ws accepted the answer`);
  }
  const compressed = expectedAnswer !== null;
  for (const size of SIZES) {
    const kinds = [["text", text(size), false], ["binary", binary(size, `${name}/${size}`), true]];
    for (const [kind, payload, isBinary] of kinds) {
      // one frame, then fragments of about a seventh of the message (3 bytes for 16: many tiny ones)
      for (const fragment of [0, Math.max(1, Math.ceil(payload.length / 7))]) {
        const what = `${name}: ${kind} ${payload.length} B${fragment ? ` in ${fragment}-byte fragments` : ""}`;
        const wire = await echo(client, payload, isBinary, fragment, what);
        if (compressed && kind === "text" && payload.length >= 4096) {
          // Prose repeats: both directions must be far smaller than the text once compressed.
          assert.ok(wire.written < payload.length / 2, `${what}: sent compressed (${wire.written} bytes on the wire)`);
          assert.ok(wire.read < payload.length / 2, `${what}: echoed compressed (${wire.read} bytes on the wire)`);
        }
      }
    }
  }
  const burst = [];
  for (let i = 0; i < BURST; i++) {
    const payload = i % 2 ? binary(i * 37, `${name}/burst/${i}`) : text(i * 41);
    burst.push([payload, i % 2 === 1]);
    send(client.ws, payload, i % 2 === 1, i % 3 === 0 ? 7 : 0);
  }
  for (const [i, [payload, isBinary]] of burst.entries()) {
    const got = await client.next(`${name}: burst message ${i}`);
    assert.ok(Buffer.from(got.data).equals(payload) && got.isBinary === isBinary, `${name}: burst message ${i} echoed in order`);
    messages++;
    bytes += payload.length;
  }
  client.ws.close(1000);
  assert.equal(await Promise.race([client.closed, new Promise((r) => setTimeout(() => r("still open"), WAIT_MS).unref())]), 1000,
    `${name}: clean close`);
  console.log(`ok: ${name}: answer ${JSON.stringify(client.answer ?? null)}, every message echoed byte for byte`);
}

/** A raw upgrade with `offer` as the Sec-WebSocket-Extensions header: the answer, or undefined. */
function rawAnswer(offer) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = http.request({
      host: target.hostname, port: target.port, path: target.pathname,
      headers: {
        Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Extensions": offer,
      },
    });
    req.on("upgrade", (res, socket) => { socket.destroy(); resolve(res.headers["sec-websocket-extensions"]); });
    req.on("response", (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on("error", reject);
    req.setTimeout(WAIT_MS, () => req.destroy(new Error("no answer to the upgrade")));
    req.end();
  });
}

// 13.*: client_max_window_bits absent, bare or 8..15, each with and without client_no_context_takeover
// and server_no_context_takeover in the offer. The answer never depends on them (docs/compatibility.md).
let combinations = 0;
for (const windowBits of [false, true, 8, 9, 10, 11, 12, 13, 14, 15]) {
  for (const clientNoContextTakeover of [false, true]) {
    for (const serverNoContextTakeover of [false, true]) {
      const options = { clientMaxWindowBits: windowBits, serverNoContextTakeover };
      if (clientNoContextTakeover) options.clientNoContextTakeover = true;
      const name = `client_max_window_bits=${windowBits === true ? "(bare)" : windowBits === false ? "(absent)" : windowBits}`
        + `${clientNoContextTakeover ? ", client_no_context_takeover" : ""}`
        + `${serverNoContextTakeover ? ", server_no_context_takeover" : ""}`;
      await combination(name, options, ANSWER);
      combinations++;
    }
  }
}
// server_max_window_bits: 15 is accepted and echoed; below 15 the offer is declined and the echo runs uncompressed.
await combination("server_max_window_bits=15", { serverMaxWindowBits: 15 }, `${ANSWER}; server_max_window_bits=15`);
await combination("server_max_window_bits=15, server_no_context_takeover, client_max_window_bits=8",
  { serverMaxWindowBits: 15, serverNoContextTakeover: true, clientMaxWindowBits: 8 }, `${ANSWER}; server_max_window_bits=15`);
await combination("server_max_window_bits=9", { serverMaxWindowBits: 9 }, null);
combinations += 3;
for (let bits = 8; bits <= 14; bits++) {
  assert.equal(await rawAnswer(`permessage-deflate; server_max_window_bits=${bits}`), undefined, `server_max_window_bits=${bits} declined`);
}
console.log("ok: server_max_window_bits=8..14 declined: 101 without Sec-WebSocket-Extensions");

// 13.7: several offers in one header; the first acceptable one is answered.
assert.equal(await rawAnswer("permessage-deflate; server_max_window_bits=8; server_no_context_takeover, "
  + "permessage-deflate; client_no_context_takeover; client_max_window_bits=8, permessage-deflate"), ANSWER);
assert.equal(await rawAnswer("permessage-deflate; server_max_window_bits=10, "
  + "permessage-deflate; server_max_window_bits=15; client_max_window_bits"), `${ANSWER}; server_max_window_bits=15`);
assert.equal(await rawAnswer("x-webkit-deflate-frame, permessage-deflate; client_max_window_bits=16, permessage-deflate; client_max_window_bits=9"),
  ANSWER);
console.log("ok: several offers: the first acceptable one is answered");

console.log(`ok: compression conformance: ${combinations} combinations, ${messages} messages, ${bytes} bytes echoed byte for byte`);
