package io.sockeye.server.admin;

import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;
import io.sockeye.server.rooms.RoomCount;
import io.sockeye.server.rooms.RoomsService;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The dashboard's tables and actions: rooms with member counts, connections grouped by user,
 * disconnecting a user or a socket, publishing a test message. Tables are capped at {@link #MAX_ROWS}
 * rows (the search narrows them). Thread-safe.
 */
final class DashboardData {

    static final int MAX_ROWS = 500;
    static final String ANONYMOUS = "(anonymous)";

    private final SocketIoServer io;
    private final RoomsService rooms;

    DashboardData(SocketIoServer io, RoomsService rooms) {
        this.io = io;
        this.rooms = rooms;
    }

    /** {@code {rooms: [{room, count}], truncated}}, filtered by {@code query} (substring, any case). */
    CompletableFuture<Map<String, Object>> rooms(String query) {
        CompletableFuture<List<RoomCount>> all = rooms != null ? rooms.rooms()
                : CompletableFuture.completedFuture(localRooms());
        return all.thenApply(list -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            boolean truncated = false;
            for (RoomCount r : list) {
                if (!matches(r.room(), query)) {
                    continue;
                }
                if (rows.size() == MAX_ROWS) {
                    truncated = true;
                    break;
                }
                rows.add(Map.of("room", r.room(), "count", r.count()));
            }
            return Map.of("rooms", rows, "truncated", truncated);
        });
    }

    private List<RoomCount> localRooms() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Socket s : io.sockets().sockets()) {
            for (String room : s.rooms()) {
                if (!room.equals(s.id())) {
                    counts.merge(room, 1, Integer::sum);
                }
            }
        }
        List<RoomCount> out = new ArrayList<>();
        counts.forEach((room, n) -> out.add(new RoomCount(room, n)));
        return out;
    }

    /**
     * {@code {users: [{user, connections: [{id, transport, address, rooms}]}], truncated}}: this
     * node's sockets of namespace {@code /}, by the user the rooms service authenticated (anonymous
     * sockets each on their own row); {@code query} matches a user, a socket id, an address or a room.
     */
    Map<String, Object> users(String query) {
        Map<String, List<Map<String, Object>>> byUser = new TreeMap<>();
        boolean truncated = false;
        int rows = 0;
        for (Socket s : io.sockets().sockets()) {
            String user = s.data().get("user") instanceof String u ? u : null;
            List<String> socketRooms = new ArrayList<>();
            for (String room : s.rooms()) {
                if (!room.equals(s.id()) && room.indexOf('#') < 0) {
                    socketRooms.add(room);
                }
            }
            if (!(matches(user, query) || matches(s.id(), query) || matches(s.handshake().address(), query)
                    || socketRooms.stream().anyMatch(r -> matches(r, query)))) {
                continue;
            }
            if (rows == MAX_ROWS) {
                truncated = true;
                break;
            }
            rows++;
            Map<String, Object> connection = new LinkedHashMap<>();
            connection.put("id", s.id());
            connection.put("transport", s.transport());
            connection.put("address", s.handshake().address());
            connection.put("rooms", socketRooms);
            connection.put("since", s.handshake().issued());
            byUser.computeIfAbsent(user == null ? ANONYMOUS + " " + s.id() : user, k -> new ArrayList<>()).add(connection);
        }
        List<Map<String, Object>> users = new ArrayList<>();
        byUser.forEach((key, connections) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("user", key.startsWith(ANONYMOUS) ? null : key);
            row.put("connections", connections);
            users.add(row);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("users", users);
        out.put("truncated", truncated);
        return out;
    }

    /** {@code {"user": u}} disconnects every connection of {@code u} (cluster-wide); {@code {"socket": id}} one local socket. */
    CompletableFuture<Map<String, Object>> disconnect(Map<?, ?> body) {
        if (body.get("user") instanceof String user && !user.isEmpty() && rooms != null) {
            return rooms.disconnectUser(user).thenApply(n -> Map.of("ok", true, "disconnected", n));
        }
        if (body.get("socket") instanceof String id) {
            Socket socket = io.sockets().socket(id);
            if (socket != null) {
                socket.disconnect();
            }
            return CompletableFuture.completedFuture(Map.of("ok", true, "disconnected", socket == null ? 0 : 1));
        }
        return CompletableFuture.failedFuture(new IllegalArgumentException("give a user or a socket id"));
    }

    /** {@code {"room", "event", "data"}} published through the rooms service, as the HTTP API would. */
    CompletableFuture<Map<String, Object>> publish(Map<?, ?> body) {
        if (rooms == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no rooms service"));
        }
        if (!(body.get("room") instanceof String room)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("room must be a string"));
        }
        try {
            String id = rooms.publish(room,
                    body.get("event") instanceof String e ? e : "chat", body.get("data"), null).id();
            return CompletableFuture.completedFuture(Map.of("ok", true, "id", id));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static boolean matches(String value, String query) {
        if (query == null || query.isBlank()) {
            return true;
        }
        return value != null && value.toLowerCase(Locale.ROOT).contains(query.trim().toLowerCase(Locale.ROOT));
    }
}
