package io.sockeye.core.internal.socket;

import io.sockeye.core.adapter.BroadcastPacket;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.core.recovery.SessionRecord;
import io.sockeye.core.recovery.StreamPosition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One socket's connection state recovery state; {@code null} on sockets of servers without recovery.
 * Holds the private session id, the incarnation that owns the session record, the stream position the
 * socket started at, and when it joined each room. While the socket is being restored it holds the live
 * packets that arrive (event loop only) and, after the replay, drops those the replay covered.
 */
final class SocketSession {

    /** A packet that arrived while the socket was being restored; holds a reference to its message. */
    record Held(BroadcastPacket packet, OutboundPacket message, boolean isVolatile) {
    }

    private final String pid;
    private final boolean restored;
    private final String incarnation = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final Map<String, Long> joinedAt;
    private volatile StreamPosition position;
    private volatile boolean takenOver;
    // event loop only
    private long replayedThrough = -1;
    private List<Held> held;
    private long heldBytes;
    private CompletableFuture<SessionRecord> takeOver;
    private SessionRecord lastState;

    private SocketSession(String pid, boolean restored, Map<String, Long> joinedAt, StreamPosition position) {
        this.pid = pid;
        this.restored = restored;
        this.joinedAt = new ConcurrentHashMap<>(joinedAt);
        this.position = position;
    }

    /** A new session for a socket that connects without restoring one. */
    static SocketSession fresh() {
        return new SocketSession(SocketIds.pid(), false, Map.of(), null);
    }

    /** The session of a socket restoring {@code record}: same pid, rooms joined as they were. */
    static SocketSession restoring(SessionRecord record) {
        return new SocketSession(record.pid(), true, record.rooms(), record.position());
    }

    String pid() {
        return pid;
    }

    boolean restored() {
        return restored;
    }

    String incarnation() {
        return incarnation;
    }

    StreamPosition position() {
        return position;
    }

    /** The socket connected (or was restored) at {@code value}: replay never starts before it. */
    void startAt(StreamPosition value) {
        position = value;
    }

    // ---- rooms -------------------------------------------------------------------------------

    /** Records the stream's head as the start of each room not joined yet (called before the join). */
    void joining(Collection<String> rooms, long head) {
        for (String room : rooms) {
            joinedAt.putIfAbsent(room, head);
        }
    }

    void left(String room) {
        joinedAt.remove(room);
    }

    /** The rooms for a session record: each of {@code rooms} with when it was joined. */
    Map<String, Long> roomsSince(Set<String> rooms) {
        long from = position == null ? 0 : position.sequence();
        Map<String, Long> out = new HashMap<>(rooms.size() * 2);
        for (String room : rooms) {
            out.put(room, joinedAt.getOrDefault(room, from));
        }
        return out;
    }

    // ---- restoring (event loop only) ---------------------------------------------------------

    /**
     * Holds a live packet and a reference to {@code message}, its loop's message for the connection's
     * parser, until the replay is written; false once the held bytes pass {@code maxBytes}.
     */
    boolean hold(BroadcastPacket packet, OutboundPacket message, boolean isVolatile, long maxBytes) {
        if (held == null) {
            held = new ArrayList<>();
        }
        message.retain();
        held.add(new Held(packet, message, isVolatile));
        heldBytes += message.size();
        return heldBytes <= maxBytes;
    }

    /**
     * The replay covered everything up to {@code sequence}; returns the held packets not covered, in
     * order (the caller writes them and releases their references), and releases the others.
     */
    List<Held> replayed(long sequence) {
        replayedThrough = sequence;
        List<Held> out = held == null ? List.of() : held;
        held = null;
        heldBytes = 0;
        if (!out.isEmpty()) {
            out.removeIf(h -> {
                if (coveredByReplay(h.packet().sequence())) {
                    h.message().release();
                    return true;
                }
                return false;
            });
        }
        return out;
    }

    /** Whether a live packet at {@code sequence} was already sent by the replay. */
    boolean coveredByReplay(long sequence) {
        return sequence >= 0 && sequence <= replayedThrough;
    }

    /** Drops what was held (a restore that gave up), releasing its references. */
    void abandon() {
        if (held != null) {
            held.forEach(h -> h.message().release());
        }
        held = null;
        heldBytes = 0;
    }

    // ---- being taken over by a new connection ------------------------------------------------

    /** The state the socket had when it left, once it is gone. Event loop only. */
    SessionRecord lastState() {
        return lastState;
    }

    boolean takenOver() {
        return takenOver;
    }

    /**
     * Marks the session as taken over; the returned future completes with the socket's last state
     * (or {@code null} if it was already leaving) once it is gone. Event loop only.
     */
    CompletableFuture<SessionRecord> takeOver() {
        takenOver = true;
        if (takeOver == null) {
            takeOver = new CompletableFuture<>();
        }
        return takeOver;
    }

    /** The socket is gone: completes a pending take-over with its final state. Event loop only. */
    void gone(SessionRecord finalState) {
        lastState = finalState;
        if (takeOver != null) {
            takeOver.complete(finalState);
        }
    }
}
