// A socket.io-client 4.8 over TLS for TlsLaunchTest: trusts the test's self-signed certificate by
// not checking it (rejectUnauthorized: false), joins a room and publishes to itself.
//   node app-tls-client.mjs <https url> <websocket|polling>
// Prints "received <data>" and exits 0, or exits 1 with the reason.
import { io } from "socket.io-client";

const [url, transport] = process.argv.slice(2);
const socket = io(url, { rejectUnauthorized: false, transports: [transport], reconnection: false });
const fail = (why) => {
  console.log("error " + why);
  process.exit(1);
};
setTimeout(() => fail("timeout"), 30000).unref();

socket.on("connect_error", (e) => fail("connect_error " + e.message));
socket.on("connect", () => {
  console.log("connected over " + socket.io.engine.transport.name);
  socket.on("tls-check", (data, meta) => {
    console.log("received " + JSON.stringify(data) + " in " + meta.room);
    socket.close();
    process.exit(0);
  });
  socket.emit("subscribe", "secure", (reply) => {
    if (!reply.ok) fail("subscribe " + JSON.stringify(reply));
    socket.emit("publish", { room: "secure", event: "tls-check", data: { secure: true } }, (r) => {
      if (!r.ok) fail("publish " + JSON.stringify(r));
    });
  });
});
