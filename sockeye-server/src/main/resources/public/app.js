// Sockeye chat demo: a small client of the server's room protocol (docs/client-protocol.md), with
// nothing but the stock socket.io-client.
//
//   subscribe(room)              -> {ok, room, offset}
//   subscribe({room, since})     -> the messages missed since `since`, then {ok, room, recovered, offset}
//   unsubscribe(room)            -> {ok, room}
//   publish({room, event, data}) -> {ok, id, offset}; every subscriber gets `event` with
//                                   (data, {room, from, id, ts, offset})
//   presence(room)               -> {ok, room, count, members: [{user, connections}]}
//   rpc({method, data})          -> {ok, result}: "history" when a message store answers the rpc proxy
//   server events presence:join / presence:leave {room, user}
//
// The demo publishes three events of its own: "chat" {name, text, cid}, and "joined" / "left" {name, cid}
// so that anonymous visitors (who have no user id) can greet each other and refresh the presence list.
//
// Missed messages: after a short drop socket.io-client recovers the connection by itself (the server has
// connection state recovery on) and the missed messages arrive before "connect"; otherwise (a longer
// drop) the page subscribes again with the last offset it saw in each room. Messages are shown once,
// told apart by meta.id.
"use strict";

(() => {
  const ROOM_NAME = /^[A-Za-z0-9:_\-.@/]{1,200}$/;
  const PRESENCE_REFRESH_MS = 10000;
  const $ = (id) => document.getElementById(id);

  const clientId = Math.random().toString(36).slice(2, 10); // tells this tab's own messages apart
  const state = {
    name: sessionStorage.getItem("sockeye.demo.name") || "guest-" + Math.floor(1000 + Math.random() * 9000),
    rooms: ["lobby"],
    active: "lobby",
    messages: new Map(), // room -> [{kind, name, text, ts, mine}]
    unread: new Map(),
    offsets: new Map(), // room -> the last offset seen there (meta.offset, or a subscribe reply's)
    seen: new Set(), // meta.id of the messages shown
    away: false, // between a disconnect and the next connect
    missed: 0, // chat messages that arrived while away or while catching up
    catchingUp: 0, // subscribe {since} requests in flight
    connectedOnce: false,
  };

  if (typeof io !== "function") {
    setStatus("error", "socket.io client bundle missing (build the server with Node.js)");
    return;
  }

  const token = new URLSearchParams(location.search).get("token");
  const socket = io(token ? { auth: { token } } : {});
  window.sockeyeSocket = socket; // for tests and curious visitors: drop it with sockeyeSocket.io.engine.close()

  // ---- rendering ---------------------------------------------------------------------------

  function setStatus(kind, text) {
    const el = $("status");
    el.className = "status " + kind;
    el.textContent = text;
  }

  function formatTime(ts) {
    return new Date(ts).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function add(room, entry) {
    if (!state.messages.has(room)) state.messages.set(room, []);
    const list = state.messages.get(room);
    list.push(entry);
    if (list.length > 500) list.shift();
    if (room === state.active) {
      renderMessage(entry);
    } else if (entry.kind === "chat") {
      state.unread.set(room, (state.unread.get(room) || 0) + 1);
      renderRooms();
    }
  }

  function system(room, text) {
    add(room, { kind: "system", text, ts: Date.now() });
  }

  function renderMessage(entry) {
    const li = document.createElement("li");
    li.className = "msg msg-" + entry.kind + (entry.mine ? " mine" : "");
    const time = document.createElement("time");
    time.dateTime = new Date(entry.ts).toISOString();
    time.textContent = formatTime(entry.ts);
    li.append(time);
    if (entry.kind === "chat") {
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = entry.name;
      li.append(who);
    }
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = entry.text;
    li.append(text);
    const box = $("messages");
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.append(li);
    if (atBottom || entry.mine) box.scrollTop = box.scrollHeight;
  }

  function renderRoom() {
    $("room-title").textContent = "#" + state.active;
    $("messages").replaceChildren();
    for (const entry of state.messages.get(state.active) || []) renderMessage(entry);
    state.unread.delete(state.active);
    renderRooms();
    refreshPresence();
  }

  function renderRooms() {
    const ul = $("rooms");
    ul.replaceChildren();
    for (const room of state.rooms) {
      const li = document.createElement("li");
      li.className = room === state.active ? "active" : "";
      const open = document.createElement("button");
      open.type = "button";
      open.className = "room";
      open.textContent = "#" + room;
      const unread = state.unread.get(room);
      if (unread) {
        const badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = String(unread);
        open.append(badge);
      }
      open.addEventListener("click", () => { state.active = room; renderRoom(); });
      li.append(open);
      if (state.rooms.length > 1) {
        const leave = document.createElement("button");
        leave.type = "button";
        leave.className = "leave";
        leave.title = "Leave #" + room;
        leave.textContent = "×";
        leave.addEventListener("click", () => leaveRoom(room));
        li.append(leave);
      }
      ul.append(li);
    }
  }

  function renderPresence(reply) {
    const ul = $("presence");
    ul.replaceChildren();
    let users = 0;
    for (const m of reply.members || []) {
      const li = document.createElement("li");
      li.textContent = m.user + (m.connections > 1 ? " (" + m.connections + " tabs)" : "");
      ul.append(li);
      users += m.connections;
    }
    const guests = Math.max(0, reply.count - users);
    $("presence-count").textContent = String(reply.count);
    $("presence-note").textContent = guests > 0 ? guests + (guests === 1 ? " guest" : " guests") + " (anonymous)" : "";
  }

  // ---- protocol ----------------------------------------------------------------------------

  function request(event, arg) {
    return new Promise((resolve) => {
      socket.timeout(10000).emit(event, arg, (err, reply) => {
        resolve(err ? { ok: false, error: { code: "timeout", message: "no answer from the server" } } : reply);
      });
    });
  }

  function describe(reply) {
    return reply.error ? reply.error.code + ": " + reply.error.message : "failed";
  }

  async function subscribe(room, catchUp) {
    const since = catchUp ? state.offsets.get(room) : undefined;
    if (since) state.catchingUp++;
    const reply = await request("subscribe", since ? { room, since } : room);
    if (since) state.catchingUp--;
    if (!reply.ok) {
      system(room, "cannot join #" + room + " (" + describe(reply) + ")");
      return false;
    }
    if (reply.offset && !state.offsets.has(room)) state.offsets.set(room, reply.offset);
    if (since) {
      system(room, reply.recovered ? "reconnected: " + plural(state.missed) + " missed while away shown above"
        : "reconnected: messages from while away may be missing");
      state.missed = 0;
      return true; // still a member of the conversation: no new "joined"
    }
    publish(room, "joined", { name: state.name, cid: clientId });
    if (room === state.active) refreshPresence();
    showHistory(room);
    return true;
  }

  // With a message store behind the server's rpc proxy (docs/proxy.md, examples/gateway), show what it kept;
  // without one, rpc is answered unavailable and nothing is shown.
  async function showHistory(room) {
    const reply = await request("rpc", { method: "history", data: { room } });
    if (!reply.ok || !Array.isArray(reply.result)) return;
    const chats = reply.result.filter((m) => m && m.event === "chat" && m.data);
    if (chats.length > 0) system(room, "earlier messages, from the store:");
    for (const m of chats) {
      add(room, { kind: "chat", name: String(m.data.name || m.user || "guest"), text: String(m.data.text || ""), ts: m.ts, mine: false });
    }
  }

  function plural(n) {
    return n === 1 ? "1 message" : n + " messages";
  }

  /** Remembers where the page stands in a room; false for a message already shown. */
  function received(meta) {
    if (meta && meta.offset) state.offsets.set(meta.room, meta.offset);
    if (!meta || !meta.id) return true;
    if (state.seen.has(meta.id)) return false;
    state.seen.add(meta.id);
    if (state.seen.size > 5000) state.seen.delete(state.seen.values().next().value);
    return true;
  }

  async function publish(room, event, data) {
    const reply = await request("publish", { room, event, data });
    if (!reply.ok) system(room, "not sent (" + describe(reply) + ")");
    return reply;
  }

  async function refreshPresence() {
    if (!socket.connected) return;
    const room = state.active;
    const reply = await request("presence", room);
    if (room !== state.active) return;
    if (reply.ok) {
      renderPresence(reply);
    } else {
      $("presence").replaceChildren();
      $("presence-count").textContent = "?";
      $("presence-note").textContent = "presence unavailable (" + describe(reply) + ")";
    }
  }

  async function joinRoom(room) {
    if (!ROOM_NAME.test(room)) {
      system(state.active, "room names are 1-200 of: letters, digits and : _ - . @ /");
      return;
    }
    if (!state.rooms.includes(room)) {
      state.rooms.push(room);
      if (socket.connected) await subscribe(room);
    }
    state.active = room;
    renderRoom();
  }

  async function leaveRoom(room) {
    publish(room, "left", { name: state.name, cid: clientId });
    await request("unsubscribe", room);
    state.rooms = state.rooms.filter((r) => r !== room);
    state.messages.delete(room);
    if (state.active === room) state.active = state.rooms[0];
    renderRoom();
  }

  socket.on("connect", () => {
    setStatus("connected", "connected");
    const again = state.connectedOnce;
    state.connectedOnce = true;
    state.away = false;
    if (socket.recovered) {
      // The server kept our subscriptions; what we missed arrived before this "connect".
      system(state.active, "reconnected: " + plural(state.missed) + " missed while away shown above");
      state.missed = 0;
      return;
    }
    for (const room of state.rooms) subscribe(room, again);
  });

  socket.on("disconnect", (reason) => {
    state.away = true;
    state.missed = 0;
    setStatus("disconnected", "disconnected: " + reason);
    system(state.active, "disconnected (" + reason + ")");
    if (reason === "io server disconnect") {
      // The server let us go (e.g. it is shutting down): come back after a random pause, so that
      // not every client of the server returns at the same moment.
      setTimeout(() => socket.connect(), 1000 + Math.random() * 4000);
    }
  });

  socket.on("connect_error", (err) => {
    const why = err.data && err.data.reason ? " (" + err.data.reason + ")" : "";
    setStatus("error", "cannot connect: " + err.message + why);
  });

  // The server says why before it disconnects us (token expired, server shutting down...).
  socket.on("sockeye:error", (error) => {
    system(state.active, "server: " + (error && error.message ? error.message : "error"));
  });

  socket.on("chat", (data, meta) => {
    if (!received(meta)) return;
    if (state.away || state.catchingUp > 0) state.missed++;
    add(meta.room, {
      kind: "chat",
      name: String((data && data.name) || meta.from || "guest"),
      text: String((data && data.text) || ""),
      ts: meta.ts,
      mine: Boolean(data && data.cid === clientId),
    });
  });

  for (const [event, verb] of [["joined", "joined"], ["left", "left"]]) {
    socket.on(event, (data, meta) => {
      if (!received(meta)) return;
      if (data && data.cid !== clientId) {
        add(meta.room, { kind: "system", text: String(data.name || meta.from || "a guest") + " " + verb, ts: meta.ts });
      }
      if (meta.room === state.active) refreshPresence();
    });
  }

  for (const event of ["presence:join", "presence:leave"]) {
    socket.on(event, (p) => {
      if (p && p.room === state.active) refreshPresence();
    });
  }

  setInterval(refreshPresence, PRESENCE_REFRESH_MS);
  window.addEventListener("pagehide", () => {
    for (const room of state.rooms) socket.emit("publish", { room, event: "left", data: { name: state.name, cid: clientId } });
  });

  // ---- inputs ------------------------------------------------------------------------------

  $("name").value = state.name;
  $("name").addEventListener("change", () => {
    state.name = $("name").value.trim().slice(0, 40) || state.name;
    $("name").value = state.name;
    sessionStorage.setItem("sockeye.demo.name", state.name); // per tab: two tabs, two people
  });

  $("message-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $("message-input");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    publish(state.active, "chat", { name: state.name, text, cid: clientId });
  });

  $("join-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const room = $("room-input").value.trim();
    $("room-input").value = "";
    if (room) joinRoom(room);
  });

  renderRoom();
})();
