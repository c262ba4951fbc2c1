// Bad input on a msgpack connection, from a raw Engine.IO client over WebSocket (the ws package) that
// writes whatever bytes it likes: each class of malformed msgpack, and a text message where binary is
// due, closes that connection with "parse error" (the server's reason, asked from InteropApp) and
// nothing else: a well-behaved client connected all along keeps working (InteropApp records the
// server-side reasons). SOCKEYE_PARSER says which
// parser the server runs (msgpack or auto); under auto, a connection whose first packet is text is a
// JSON connection, and a binary message is then the bad input.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import notepack from "notepack.io";
import { eventually } from "../../lib/waits.mjs";
import { connected, ask, closeAll, SOCKEYE_URL, WAIT_MS } from "../lib.mjs";

const PARSER = process.env.SOCKEYE_PARSER ?? "msgpack";
const raws = new Set();
let bystander;

before(async () => {
  bystander = await connected("/", { transports: ["websocket"] });
});
after(() => {
  closeAll();
  for (const ws of raws) ws.terminate();
});

function withDeadline(promise, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${WAIT_MS} ms`)), WAIT_MS);
  })]).finally(() => clearTimeout(timer));
}

/** A raw Engine.IO WebSocket: resolves once the open packet arrived, with a queue of later messages. */
async function rawSocket() {
  const ws = new WebSocket(SOCKEYE_URL.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket");
  raws.add(ws);
  const messages = [];
  const waiters = [];
  ws.closed = new Promise((resolve) => ws.on("close", (code) => resolve(code)));
  ws.on("message", (data, isBinary) => {
    const message = isBinary ? Buffer.from(data) : data.toString();
    if (message === "2") { ws.send("3"); return; } // answer pings
    const waiter = waiters.shift();
    if (waiter) waiter(message); else messages.push(message);
  });
  ws.nextMessage = () => messages.length ? Promise.resolve(messages.shift())
    : withDeadline(new Promise((resolve) => waiters.push(resolve)), "a message from the server");
  const open = await ws.nextMessage();
  assert.match(String(open), /^0\{"sid"/);
  return ws;
}

/** A raw msgpack connection joined to "/": returns it with its socket id. */
async function msgpackConnection() {
  const ws = await rawSocket();
  ws.send(notepack.encode({ type: 0, nsp: "/" }));
  const reply = notepack.decode(await ws.nextMessage());
  assert.equal(reply.type, 0);
  return { ws, id: reply.data.sid };
}

function serverReason(id) {
  return eventually(`the server-side disconnect reason of ${id}`, async () => {
    const [reason] = await ask(bystander, "disconnect-reason", id);
    return reason ?? undefined;
  });
}

async function assertClosedForParseError(ws, id) {
  await withDeadline(ws.closed, "the server closing the connection");
  assert.equal(await serverReason(id), "parse error");
  assert.deepEqual(await ask(bystander, "which-namespace"), ["/"], "the other client is unaffected");
}

const valid = notepack.encode({ type: 2, nsp: "/", data: ["message-with-ack", 1] });
const malformed = {
  "truncated": valid.subarray(0, valid.length - 3),
  "a type that is a string": notepack.encode({ type: "2", nsp: "/", data: ["x"] }),
  "a BINARY_EVENT type": notepack.encode({ type: 5, nsp: "/", data: ["x"] }),
  "event data that is not an array": notepack.encode({ type: 2, nsp: "/", data: { x: 1 } }),
  "a namespace that is not a string": notepack.encode({ type: 2, nsp: 7, data: ["x"] }),
  "an ack id that is not an integer": notepack.encode({ type: 2, nsp: "/", data: ["x"], id: 1.5 }),
  "a huge declared string length": Buffer.concat([Buffer.from("83a474797065 02 a36e7370 a12f a464617461 92 a178 db7fffffff".replace(/ /g, ""), "hex"), Buffer.from("abc")]),
  "a huge declared array length": Buffer.from("83a474797065 02 a36e7370 a12f a464617461 ddffffffff 01".replace(/ /g, ""), "hex"),
  "deep nesting": Buffer.concat([Buffer.from("83a474797065 02 a36e7370 a12f a464617461 92 a178".replace(/ /g, ""), "hex"),
    Buffer.alloc(5000, 0x91), Buffer.from([0x01])]),
  "an unknown extension type": Buffer.from("83a474797065 02 a36e7370 a12f a464617461 92 a178 d40500".replace(/ /g, ""), "hex"),
  "trailing bytes": Buffer.concat([valid, Buffer.from([0xc0])]),
};

for (const [name, bytes] of Object.entries(malformed)) {
  test(`malformed msgpack, ${name}, closes that connection only (${PARSER})`, async () => {
    const { ws, id } = await msgpackConnection();
    ws.send(bytes);
    await assertClosedForParseError(ws, id);
  });
}

test(`a text message to a msgpack connection closes it (${PARSER})`, async () => {
  const { ws, id } = await msgpackConnection();
  ws.send('42["message-with-ack",1]');
  await assertClosedForParseError(ws, id);
});

test(`a binary message to a JSON connection closes it (${PARSER})`, { skip: PARSER !== "auto" && "JSON connections need parser auto" }, async () => {
  const ws = await rawSocket();
  ws.send("40");
  const reply = await ws.nextMessage();
  assert.match(reply, /^40\{"sid":"/);
  const id = JSON.parse(reply.substring(2)).sid;
  ws.send(valid);
  await assertClosedForParseError(ws, id);
});

test(`a first binary message that is no msgpack map closes the connection (${PARSER})`, async () => {
  const ws = await rawSocket();
  ws.send(Buffer.from([0x92, 0x01, 0x02]));
  await withDeadline(ws.closed, "the server closing the connection");
  assert.deepEqual(await ask(bystander, "which-namespace"), ["/"], "the other client is unaffected");
});

test(`a text first message to a msgpack-only server closes the connection (${PARSER})`, { skip: PARSER !== "msgpack" && "under auto, text means JSON" }, async () => {
  const ws = await rawSocket();
  ws.send("40");
  await withDeadline(ws.closed, "the server closing the connection");
  assert.deepEqual(await ask(bystander, "which-namespace"), ["/"], "the other client is unaffected");
});

test(`malformed msgpack over long-polling closes that session (${PARSER})`, async () => {
  const base = SOCKEYE_URL + "/socket.io/?EIO=4&transport=polling";
  const open = await (await fetch(base)).text();
  const sid = JSON.parse(open.substring(1)).sid;
  const url = `${base}&sid=${sid}`;
  const post = (body) => fetch(url, { method: "POST", body, headers: { "content-type": "text/plain;charset=UTF-8" } });
  assert.equal((await post("b" + notepack.encode({ type: 0, nsp: "/" }).toString("base64"))).status, 200);
  // the CONNECT reply comes first; InteropApp's "auth" event may share the payload (records split by \x1e)
  const connect = (await (await fetch(url)).text()).split("\x1e")[0];
  const id = notepack.decode(Buffer.from(connect.substring(1), "base64")).data.sid;
  await post("b" + malformed["a huge declared array length"].toString("base64"));
  assert.equal(await serverReason(id), "parse error");
  const after = await fetch(url);
  assert.ok(after.status === 400 || (await after.text()).includes("1"), "the session is closed");
  assert.deepEqual(await ask(bystander, "which-namespace"), ["/"], "the other client is unaffected");
});
