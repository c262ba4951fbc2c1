// Rooms and broadcasts with to()/except(), from the server and from a socket (which excludes the
// sender). Three clients; every case asserts exactly who received the broadcast.
//
// How "nobody else got it" is proven without waiting: after each broadcast the server emits a
// "marker" to the whole namespace. Packets on one connection arrive in order, so once a client has
// the marker it has everything that was sent to it before.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connected, ask, next, closeAll } from "../lib/harness.mjs";

after(closeAll);

let counter = 0;

for (const transport of ["websocket", "polling"]) {
  let clients;

  /** Runs one broadcast and returns the sorted names of the clients that received it. */
  async function receiversOf(from, spec) {
    const marker = ++counter;
    const received = new Set();
    const listeners = Object.entries(clients).map(([name, socket]) => {
      const onNews = (payload) => {
        if (payload?.marker !== marker) return;
        assert.ok(!received.has(name), `${name} received broadcast ${marker} twice`);
        received.add(name);
      };
      socket.on("news", onNews);
      return { socket, onNews, gotMarker: waitForMarker(socket, marker) };
    });
    await ask(clients[from], "broadcast", { event: "news", data: { marker }, marker, ...spec });
    await Promise.all(listeners.map((l) => l.gotMarker));
    for (const l of listeners) l.socket.off("news", l.onNews);
    return [...received].sort();
  }

  function waitForMarker(socket, marker) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no marker ${marker}`)), 30_000);
      const onMarker = (m) => {
        if (m !== marker) return;
        clearTimeout(timer);
        socket.off("marker", onMarker);
        resolve();
      };
      socket.on("marker", onMarker);
    });
  }

  test(`rooms: set up A in r1, B in r1+r2, C in r2 (${transport})`, async () => {
    clients = {};
    for (const name of ["A", "B", "C"]) clients[name] = await connected("/", { transports: [transport] });
    await ask(clients.A, "join", "r1");
    await ask(clients.B, "join", "r1");
    await ask(clients.B, "join", "r2");
    await ask(clients.C, "join", "r2");
  });

  test(`io.emit reaches everybody (${transport})`, async () => {
    assert.deepEqual(await receiversOf("A", { via: "io" }), ["A", "B", "C"]);
  });

  test(`io.to("r1") reaches A and B (${transport})`, async () => {
    assert.deepEqual(await receiversOf("C", { via: "io", to: ["r1"] }), ["A", "B"]);
  });

  test(`io.to("r1").to("r2") reaches each member once, B included once (${transport})`, async () => {
    assert.deepEqual(await receiversOf("A", { via: "io", to: ["r1", "r2"] }), ["A", "B", "C"]);
  });

  test(`io.to("r1").to("r2").except("r2") reaches only A (${transport})`, async () => {
    assert.deepEqual(await receiversOf("A", { via: "io", to: ["r1", "r2"], except: ["r2"] }), ["A"]);
  });

  test(`io.except("r1") reaches only C (${transport})`, async () => {
    assert.deepEqual(await receiversOf("A", { via: "io", except: ["r1"] }), ["C"]);
  });

  test(`io.to(<B's id>) reaches only B: every socket is in a room named by its id (${transport})`, async () => {
    assert.deepEqual(await receiversOf("A", { via: "io", to: [clients.B.id] }), ["B"]);
  });

  test(`socket.to("r1") from A reaches B but not the sender (${transport})`, async () => {
    assert.deepEqual(await receiversOf("A", { via: "socket", to: ["r1"] }), ["B"]);
  });

  test(`socket.to("r2") from B reaches C but not the sender (${transport})`, async () => {
    assert.deepEqual(await receiversOf("B", { via: "socket", to: ["r2"] }), ["C"]);
  });

  test(`socket.to("r1").except("r2") from A reaches nobody (${transport})`, async () => {
    assert.deepEqual(await receiversOf("A", { via: "socket", to: ["r1"], except: ["r2"] }), []);
  });

  test(`socket.to("r1").to("r2").except(<C's id>) from A reaches only B (${transport})`, async () => {
    assert.deepEqual(await receiversOf("A", { via: "socket", to: ["r1", "r2"], except: [clients.C.id] }), ["B"]);
  });

  test(`after B leaves r1, io.to("r1") reaches only A (${transport})`, async () => {
    await ask(clients.B, "leave", "r1");
    assert.deepEqual(await receiversOf("C", { via: "io", to: ["r1"] }), ["A"]);
  });

  test(`a disconnected member is no longer in its rooms (${transport})`, async () => {
    const gone = next(clients.C, "disconnect");
    clients.C.disconnect();
    await gone;
    const { C, ...rest } = clients;
    clients = rest;
    assert.deepEqual(await receiversOf("A", { via: "io", to: ["r2"] }), ["B"]);
    // leave the namespace empty for the next transport's round
    for (const socket of Object.values(clients)) socket.disconnect();
  });
}
