// Disconnect reason "transport error": a transport request failed. With long-polling that is an HTTP
// error status or a failed request: the server answers 413 to a POST over maxHttpBufferSize, or
// the network cuts the connection carrying the pending GET.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, next, closeAll } from "../lib/harness.mjs";
import { startProxy } from "../lib/proxy.mjs";

const proxies = [];
after(async () => {
  closeAll();
  for (const p of proxies) await p.close();
});

test('a polling POST over maxHttpBufferSize is answered 413 → "transport error" (xhr post error)', async () => {
  const socket = await connected("/", { transports: ["polling"] });
  const reason = next(socket, "disconnect");
  socket.emit("message", "x".repeat(1_200_000)); // default maxHttpBufferSize is 1e6 bytes
  const [why, details] = await reason;
  assert.equal(why, "transport error");
  assert.equal(details?.message, "xhr post error");
  assert.equal(details?.description, 413, "HTTP status of the rejected POST");
  assert.equal(socket.active, true, "a transport error is not final: the client would reconnect if allowed");
});

test('the network cuts the polling connections → "transport error" (xhr poll/post error)', async () => {
  const proxy = await startProxy(process.env.SOCKEYE_URL);
  proxies.push(proxy);
  const socket = await connected("/", { transports: ["polling"] }, proxy.url);
  const reason = next(socket, "disconnect");
  proxy.cut();
  const [why, details] = await reason;
  assert.equal(why, "transport error");
  // Usually the pending GET fails ("xhr poll error"); if a POST (a pong, say) was in flight at the
  // moment of the cut, that one may fail first ("xhr post error").
  assert.match(String(details?.message), /^xhr (poll|post) error$/);
});
