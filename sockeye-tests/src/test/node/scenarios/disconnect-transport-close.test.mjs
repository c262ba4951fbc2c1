// Disconnect reason "transport close": the connection ended without any Socket.IO DISCONNECT packet.
// Three honest causes: the server is shut down (it closes every connection without a goodbye, like
// socket.io's io.close()), the network drops the TCP connection, and the server closes a WebSocket
// whose message exceeds maxHttpBufferSize (close code 1009, "message too big").
//
// Note: server socket.disconnect(true) is NOT a "transport close" for the client — it sends a
// DISCONNECT packet first, so the client reports "io server disconnect" (see disconnect-io-server).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, next, restartServer, serverIsBack, closeAll } from "../lib/harness.mjs";
import { startProxy } from "../lib/proxy.mjs";

const proxies = [];
after(async () => {
  closeAll();
  for (const p of proxies) await p.close();
});

for (const transport of ["websocket", "polling"]) {
  test(`the server shuts down → "transport close" (${transport})`, async () => {
    const socket = await connected("/", { transports: [transport] });
    const reason = next(socket, "disconnect", 20_000);
    const generation = await restartServer(socket);
    try {
      assert.equal((await reason)[0], "transport close");
    } finally {
      await serverIsBack(generation);
    }
  });
}

test('the network drops the WebSocket connection → "transport close"', async () => {
  const proxy = await startProxy(process.env.SOCKEYE_URL);
  proxies.push(proxy);
  const socket = await connected("/", { transports: ["websocket"] }, proxy.url);
  const reason = next(socket, "disconnect");
  proxy.cut();
  assert.equal((await reason)[0], "transport close");
});

test('a WebSocket message over maxHttpBufferSize → server closes with 1009, client sees "transport close"', async () => {
  const socket = await connected("/", { transports: ["websocket"] });
  const reason = next(socket, "disconnect");
  socket.emit("message", "x".repeat(1_200_000)); // default maxHttpBufferSize is 1e6 bytes
  const [why, details] = await reason;
  assert.equal(why, "transport close");
  assert.equal(details?.context?.code, 1009, `close code (details: ${JSON.stringify(details?.context?.code ?? details)})`);
});
