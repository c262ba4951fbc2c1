// Clients for SigtermDrainTest: N real socket.io-client 4.8 connections that subscribe to a room,
// then report what they observe while the server drains:
//   node app-drain-clients.mjs <server url> <count>
// Prints "ready <n>" once all are connected and subscribed, then for each client
// "notice <i> <json>" (the server's sockeye:error event) and "disconnect <i> <reason>";
// exits 0 once every client is disconnected. Clients do not reconnect, so what they saw stays put.
import { io } from "socket.io-client";

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
let ready = 0;
let gone = 0;

for (let i = 0; i < count; i++) {
  const socket = io(url, { reconnection: false, forceNew: true });
  socket.on("connect", () => {
    socket.emit("subscribe", "lobby", (reply) => {
      if (!reply || !reply.ok) {
        console.log(`error ${i} subscribe ${JSON.stringify(reply)}`);
        process.exit(1);
      }
      if (++ready === count) console.log(`ready ${count}`);
    });
  });
  socket.on("connect_error", (e) => {
    console.log(`error ${i} connect_error ${e.message}`);
    process.exit(1);
  });
  socket.on("sockeye:error", (notice) => console.log(`notice ${i} ${JSON.stringify(notice)}`));
  socket.on("disconnect", (reason) => {
    console.log(`disconnect ${i} ${reason}`);
    if (++gone === count) process.exit(0);
  });
}
