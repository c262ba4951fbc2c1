package io.sockeye.core.adapter;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A session found by {@link Adapter#restoreSession}: the persisted state plus the packets the
 * client missed since the offset it presented.
 *
 * @param sid           the socket id to reuse
 * @param pid           the private session id
 * @param rooms         the rooms to rejoin
 * @param data          the socket's {@code data}
 * @param missedPackets the missed events, oldest first, each {@code [event, ...args, offset]} exactly as
 *                      the Socket.IO layer re-sends them (immutable)
 */
public record RestoredSession(String sid, String pid, Set<String> rooms, Object data,
                              List<List<Object>> missedPackets) {

    public RestoredSession {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(pid, "pid");
        rooms = rooms == null ? Set.of() : Set.copyOf(rooms);
        missedPackets = missedPackets == null ? List.of() : List.copyOf(missedPackets);
    }
}
