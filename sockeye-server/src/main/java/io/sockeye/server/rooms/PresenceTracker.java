package io.sockeye.server.rooms;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's room memberships as the rooms service made them (subscriptions and personal rooms):
 * per room, the number of local connections and of local connections per user. Decides when a
 * user's first connection joins and its last leaves (the {@code presence:join} / {@code presence:leave}
 * moments) and gives local room sizes for the stats. Thread-safe: each room is updated atomically.
 *
 * <p>Scope: one node. The presence <em>queries</em> ask the adapter ({@code fetchSockets}), so they
 * see the whole cluster; join/leave events are decided here, so with a cluster adapter a user with
 * connections on two nodes gets one join per node.
 */
final class PresenceTracker {

    private static final class RoomState {
        int connections;
        final Map<String, Integer> users = new HashMap<>();
    }

    private final ConcurrentHashMap<String, RoomState> rooms = new ConcurrentHashMap<>();

    /** Adds one connection of {@code user} (null = anonymous); true when it is that user's first here. */
    boolean join(String room, String user) {
        boolean[] first = {false};
        rooms.compute(room, (r, state) -> {
            RoomState s = state == null ? new RoomState() : state;
            s.connections++;
            if (user != null) {
                first[0] = s.users.merge(user, 1, Integer::sum) == 1;
            }
            return s;
        });
        return first[0];
    }

    /** Removes one connection of {@code user}; true when it was that user's last here. */
    boolean leave(String room, String user) {
        boolean[] last = {false};
        rooms.computeIfPresent(room, (r, s) -> {
            s.connections--;
            if (user != null) {
                Integer n = s.users.get(user);
                if (n != null) {
                    if (n <= 1) {
                        s.users.remove(user);
                        last[0] = true;
                    } else {
                        s.users.put(user, n - 1);
                    }
                }
            }
            return s.connections <= 0 ? null : s;
        });
        return last[0];
    }

    /** Local connections in {@code room}. */
    int localCount(String room) {
        RoomState s = rooms.get(room);
        return s == null ? 0 : s.connections;
    }

    /** Rooms with at least one local connection. */
    int roomCount() {
        return rooms.size();
    }
}
