// Disconnect reason "parse error": the client received bytes that do not decode as a Socket.IO
// packet. A correct server never sends such a thing (producing it is the client's defence against a
// broken or hostile peer), so the proxy corrupts the stream: between two of Sockeye's WebSocket
// frames it inserts the frame "4abc" — a valid Engine.IO message whose content "abc" is not a
// Socket.IO packet (unknown packet type). The server itself is untouched and only sees the client
// close the connection.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, next, serverDisconnectReason, closeAll } from "../lib/harness.mjs";
import { startProxy } from "../lib/proxy.mjs";

const proxies = [];
after(async () => {
  closeAll();
  for (const p of proxies) await p.close();
});

test('an undecodable packet on the stream → "parse error"', async () => {
  const proxy = await startProxy(process.env.SOCKEYE_URL);
  proxies.push(proxy);
  const socket = await connected("/", { transports: ["websocket"], reconnection: false }, proxy.url);
  const id = socket.id;
  const reason = next(socket, "disconnect");
  proxy.injectWebSocketText("4abc");
  const [why, details] = await reason;
  assert.equal(why, "parse error");
  assert.match(String(details?.message ?? details), /unknown packet type/);
  assert.equal(await serverDisconnectReason(id), "transport close", "the server only saw the client go away");
});
