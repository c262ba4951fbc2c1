// @socket.io/redis-emitter 5.1 (the emitter of @socket.io/redis-adapter 8.3's classic wire) driven from the
// command line: `node emit.mjs <redis url> <command>...`, each command a JSON object
//   {"to": "room", "emit": "event", "args": [...]}   emitter.to(room).emit(event, ...args)
//   {"to": "room", "join": "other"}                  emitter.in(room).socketsJoin(other)
//   {"to": "room", "disconnect": true}               emitter.in(room).disconnectSockets()
// Prints EMITTED once Redis took every publish. Used by EmittersEndToEndTest (sockeye-tests).
import { createClient } from "redis";
import { Emitter } from "@socket.io/redis-emitter";

const [url, ...commands] = process.argv.slice(2);
const client = createClient({ url });
await client.connect();
const emitter = new Emitter(client);
for (const command of commands.map((c) => JSON.parse(c))) {
  const target = command.to ? emitter.to(command.to) : emitter;
  if (command.emit) target.emit(command.emit, ...(command.args ?? []));
  if (command.join) target.socketsJoin(command.join);
  if (command.disconnect) target.disconnectSockets(false);
}
await client.quit(); // waits for the replies of every PUBLISH sent
console.log("EMITTED");
