package io.sockeye.server.rooms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * When each connection's token expires (its {@code exp} plus the clock skew): one priority queue for the node instead of a timer task per
 * connection. {@link #due(long)} pops the sessions whose expiry has passed. Entries hold only the
 * socket id and the session's expiry generation, so an entry left behind by a refresh or a disconnect
 * is small, skipped when it comes up, and purged in bulk once stale entries outnumber live sessions.
 * Thread-safe.
 */
final class TokenExpiry {

    private record Entry(long atMillis, String socketId, long generation) {
    }

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) -> Long.compare(a.atMillis, b.atMillis));
    private final Function<String, ClientSession> sessions;
    private final long graceMillis;

    /**
     * @param sessions the live session of a socket id, or null
     * @param grace    how long after {@code exp} a token still counts as valid: the verifier's clock skew,
     *                 so a connection lives exactly as long as its token would pass the handshake
     */
    TokenExpiry(Function<String, ClientSession> sessions, Duration grace) {
        this.sessions = sessions;
        this.graceMillis = grace == null ? 0 : grace.toMillis();
    }

    /** Queues the session's current expiry (nothing when its token has no {@code exp}). */
    void schedule(ClientSession session, long generation) {
        if (session.expiresAt() == null) {
            return;
        }
        // A backend's expire_at is the session's end as the backend decided it: no token clock skew to allow for.
        long grace = session.admittedByBackend() ? 0 : graceMillis;
        Entry e = new Entry(session.expiresAt().toEpochMilli() + grace, session.id(), generation);
        synchronized (queue) {
            queue.add(e);
        }
    }

    /** Removes and returns the live sessions whose token expired at or before {@code nowMillis}. */
    List<ClientSession> due(long nowMillis, int liveSessions) {
        List<ClientSession> out = new ArrayList<>();
        synchronized (queue) {
            while (!queue.isEmpty() && queue.peek().atMillis <= nowMillis) {
                ClientSession s = current(queue.poll());
                if (s != null) {
                    out.add(s);
                }
            }
            if (queue.size() > 1024 && queue.size() > 2 * liveSessions) {
                queue.removeIf(e -> current(e) == null);
            }
        }
        return out;
    }

    private ClientSession current(Entry e) {
        ClientSession s = sessions.apply(e.socketId);
        return s != null && !s.closed() && s.expiryGeneration() == e.generation ? s : null;
    }

    int size() {
        synchronized (queue) {
            return queue.size();
        }
    }
}
