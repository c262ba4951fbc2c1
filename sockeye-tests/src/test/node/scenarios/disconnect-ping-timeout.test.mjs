// Disconnect reason "ping timeout", seen by the client.
//
// In Engine.IO v4 the SERVER pings and the client only answers; the client's check is "a ping must
// arrive within pingInterval + pingTimeout of the previous one". A healthy Sockeye always pings on
// time, so the honest way to make the client time out is to silence the network: the TCP proxy
// keeps both connections open but forwards nothing (a black hole, like a dead NAT mapping). The
// server, whose pings now go unanswered, closes its side with its own "ping timeout".
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, next, serverDisconnectReason, closeAll } from "../lib/harness.mjs";
import { startProxy } from "../lib/proxy.mjs";

const proxies = [];
after(async () => {
  closeAll();
  for (const p of proxies) await p.close();
});

for (const transport of ["websocket", "polling"]) {
  test(`no ping from the server within pingInterval + pingTimeout → "ping timeout" (${transport})`, async () => {
    const proxy = await startProxy(process.env.SOCKEYE_URL);
    proxies.push(proxy);
    const socket = await connected("/", { transports: [transport] }, proxy.url);
    const id = socket.id;
    // At least one ping went through the proxy, so the client's timer is armed from a real ping.
    await next(socket.io, "ping");

    const reason = next(socket, "disconnect", 30_000);
    proxy.blackhole();
    assert.equal((await reason)[0], "ping timeout");
    assert.equal(socket.active, true, "a ping timeout is not final: the client would reconnect if allowed");
    assert.equal(await serverDisconnectReason(id), "ping timeout", "the server timed out waiting for the pong");
  });
}
