package io.sockeye.server.admin;

import io.sockeye.core.Args;
import io.sockeye.core.Namespace;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Admin UI's development mode (docs/operations.md, "Socket.IO Admin UI"): the UI sees every socket and what happens to it.
 *
 * <pre>
 * all_sockets          [SerializedSocket]                 to a UI when it connects
 * socket_connected     (SerializedSocket, date)
 * socket_disconnected  (nsp, id, reason, date)
 * event_received       (nsp, id, [event, ...args], date)  onAny
 * event_sent           (nsp, id, [event, ...args], date)  onAnyOutgoing (broadcasts included)
 * room_joined          (nsp, room, id, date)              found by {@link #sweep()}
 * room_left            (nsp, room, id, date)              found by {@link #sweep()}
 * socket_updated       ({id, nsp, transport})             found by {@link #sweep()} after an upgrade
 * </pre>
 *
 * The core has no per-join or per-upgrade listener, so room changes and upgrades are found by
 * comparing each socket's rooms and transport with the last sweep's, once a second: their date is
 * the sweep's, and a join undone within the same second is not reported. Dates are ISO-8601 strings
 * with milliseconds, as {@code JSON.stringify(new Date())} writes them. {@code clientId} is the first
 * 12 characters of the socket id (the public API does not expose the Engine.IO session id), so the
 * UI shows each socket as its own client.
 */
final class AdminUiDevelopment {

    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** What the last sweep saw of a socket. */
    private record Seen(Socket socket, Set<String> rooms, String transport) {
    }

    private final SocketIoServer io;
    private final Namespace admin;
    private final Set<String> namespaces;
    private final Map<Socket, Seen> seen = new ConcurrentHashMap<>();

    AdminUiDevelopment(SocketIoServer io, Namespace admin, Set<String> namespaces) {
        this.io = io;
        this.admin = admin;
        this.namespaces = namespaces;
        for (String name : namespaces) {
            io.of(name).onConnection(this::track);
        }
    }

    static String date() {
        return ISO_MILLIS.format(Instant.now());
    }

    private boolean watched() {
        return !admin.sockets().isEmpty();
    }

    private void track(Socket socket) {
        String nsp = socket.namespace().name();
        seen.put(socket, new Seen(socket, Set.copyOf(socket.rooms()), socket.transport()));
        if (watched()) {
            admin.emit("socket_connected", serialize(socket), date());
        }
        socket.onAny((event, args) -> forward("event_received", socket, event, args));
        socket.onAnyOutgoing((event, args) -> forward("event_sent", socket, event, args));
        socket.onDisconnect(reason -> {
            Seen last = seen.remove(socket);
            if (watched()) {
                if (last != null) {
                    // Leaving is leaving every room: report the rooms left since the last sweep first.
                    for (String room : last.rooms()) {
                        admin.emit("room_left", nsp, room, socket.id(), date());
                    }
                }
                admin.emit("socket_disconnected", nsp, socket.id(), reason, date());
            }
        });
    }

    private void forward(String what, Socket socket, String event, Args args) {
        if (!watched()) {
            return;
        }
        List<Object> packet = new ArrayList<>(args.size() + 1);
        packet.add(event);
        packet.addAll(args.list());
        admin.emit(what, socket.namespace().name(), socket.id(), packet, date());
    }

    /** {@code all_sockets} for a UI that just connected. */
    List<Map<String, Object>> allSockets() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (String name : namespaces) {
            for (Socket socket : io.of(name).sockets()) {
                all.add(serialize(socket));
            }
        }
        return all;
    }

    /** Reports room changes and upgrades since the last sweep; runs on the stats timer, once a second. */
    void sweep() {
        boolean watched = watched();
        for (Seen last : seen.values()) {
            Socket socket = last.socket();
            if (!socket.connected()) {
                continue; // its disconnect handler reports it
            }
            Set<String> rooms = Set.copyOf(socket.rooms());
            String transport = socket.transport();
            if (rooms.equals(last.rooms()) && transport.equals(last.transport())) {
                continue;
            }
            seen.replace(socket, last, new Seen(socket, rooms, transport));
            if (!watched) {
                continue;
            }
            String nsp = socket.namespace().name();
            for (String room : rooms) {
                if (!last.rooms().contains(room)) {
                    admin.emit("room_joined", nsp, room, socket.id(), date());
                }
            }
            for (String room : last.rooms()) {
                if (!rooms.contains(room)) {
                    admin.emit("room_left", nsp, room, socket.id(), date());
                }
            }
            if (!transport.equals(last.transport())) {
                Map<String, Object> update = new LinkedHashMap<>();
                update.put("id", socket.id());
                update.put("nsp", nsp);
                update.put("transport", transport);
                admin.emit("socket_updated", update);
            }
        }
    }

    /** socket.io admin-ui's SerializedSocket. */
    static Map<String, Object> serialize(Socket socket) {
        Map<String, Object> handshake = new LinkedHashMap<>();
        handshake.put("address", socket.handshake().address());
        handshake.put("headers", socket.handshake().headers());
        handshake.put("query", socket.handshake().query());
        handshake.put("issued", socket.handshake().issued());
        handshake.put("secure", socket.handshake().secure());
        handshake.put("time", socket.handshake().time());
        handshake.put("url", socket.handshake().url());
        handshake.put("xdomain", socket.handshake().xdomain());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", socket.id());
        out.put("clientId", socket.id().substring(0, Math.min(12, socket.id().length())));
        out.put("transport", socket.transport());
        out.put("nsp", socket.namespace().name());
        out.put("data", new LinkedHashMap<>(socket.data()));
        out.put("handshake", handshake);
        out.put("rooms", new ArrayList<>(new LinkedHashSet<>(socket.rooms())));
        return out;
    }
}
