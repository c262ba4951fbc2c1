package io.sockeye.core.adapter;

import java.util.Objects;
import java.util.Set;

/**
 * What connection state recovery keeps of a socket that went away with a recoverable reason
 * (socket.io's {@code SessionToPersist}: {@code {sid, pid, rooms, data}}).
 *
 * @param sid   the Socket.IO socket id, reused when the session is restored
 * @param pid   the private session id the client presents on reconnect
 * @param rooms the rooms to rejoin (immutable)
 * @param data  the socket's {@code data}
 */
public record PersistedSession(String sid, String pid, Set<String> rooms, Object data) {

    public PersistedSession {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(pid, "pid");
        rooms = rooms == null ? Set.of() : Set.copyOf(rooms);
    }
}
