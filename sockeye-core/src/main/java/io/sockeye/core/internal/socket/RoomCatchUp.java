package io.sockeye.core.internal.socket;

import io.sockeye.core.adapter.BroadcastPacket;
import io.sockeye.core.recovery.HistoryEntry;
import io.sockeye.core.recovery.HistoryQuery;
import io.sockeye.core.recovery.HistoryRead;
import io.sockeye.core.recovery.HistoryStore;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.RecoveryFailure;
import io.sockeye.core.recovery.RoomHistory;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.core.spi.transport.OutboundPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@link io.sockeye.core.Socket#joinSince} for one connected socket, on its event loop: join the room
 * with the socket holding its live packets, read the room's history after the position, write the
 * replay, then the held packets the replay did not contain. Packets of the stream that were queued to
 * the loop before the read but arrive after it are dropped when the replay had them (until the first
 * packet past the read's end arrives: each loop gets a stream's packets in order). Catch-ups of one
 * socket run one after the other ({@link Queue}).
 */
final class RoomCatchUp {

    private static final Logger log = LoggerFactory.getLogger(RoomCatchUp.class);

    private final SocketImpl socket;
    private final String room;
    private final StreamPosition since;
    private final HistoryStore store;
    private final CompletableFuture<RoomHistory.Replay> result = new CompletableFuture<>();
    private final List<HistoryEntry> replay = new ArrayList<>();
    private final Set<Long> replayed = new HashSet<>();
    private List<SocketSession.Held> held = new ArrayList<>();
    private long heldBytes;
    private long through = Long.MAX_VALUE; // the read's end, once known

    private RoomCatchUp(SocketImpl socket, String room, StreamPosition since, HistoryStore store) {
        this.socket = socket;
        this.room = room;
        this.since = since;
        this.store = store;
    }

    static CompletableFuture<RoomHistory.Replay> start(SocketImpl socket, String room, StreamPosition since) {
        NamespaceRecovery recovery = socket.namespace().recovery();
        if (recovery == null) {
            socket.join(room);
            return CompletableFuture.completedFuture(new RoomHistory.Replay(false, null, 0, RecoveryFailure.UNAVAILABLE));
        }
        RoomCatchUp catchUp = new RoomCatchUp(socket, room, since, recovery.backend().history());
        if (!socket.client().runOnLoop(() -> Queue.of(socket).add(catchUp))) {
            catchUp.done(false, store(socket).head(), RecoveryFailure.CLOSED);
        }
        return catchUp.result;
    }

    private static HistoryStore store(SocketImpl socket) {
        return socket.namespace().recovery().backend().history();
    }

    private OffsetFormat format() {
        return store.offsetFormat();
    }

    /** Runs when it is the socket's turn: from here on its live packets are held. */
    private void begin() {
        if (!socket.connected()) {
            done(false, store.head(), RecoveryFailure.CLOSED);
            return;
        }
        socket.join(room);
        read(HistoryQuery.room(since, room, SessionRestore.PAGE));
    }

    private void read(HistoryQuery query) {
        CompletableFuture<HistoryRead> future;
        try {
            future = store.read(query);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((page, error) -> {
            if (!socket.client().runOnLoop(() -> onPage(query, page, error))) {
                done(false, store.head(), RecoveryFailure.CLOSED);
            }
        });
    }

    private void onPage(HistoryQuery query, HistoryRead page, Throwable error) {
        if (error != null) {
            log.debug("reading the history of room {} failed", room, error);
            done(false, store.head(), RecoveryFailure.UNAVAILABLE);
            return;
        }
        if (!page.ok()) {
            done(false, page.through(), switch (page.status()) {
                case OTHER_EPOCH -> RecoveryFailure.OTHER_EPOCH;
                case AHEAD -> RecoveryFailure.AHEAD;
                default -> RecoveryFailure.PRUNED;
            });
            return;
        }
        replay.addAll(page.entries());
        if (page.more()) {
            read(query.after(page.through()));
            return;
        }
        through = page.through().sequence();
        if (socket.connected()) {
            for (HistoryEntry entry : replay) {
                replayed.add(entry.sequence());
                socket.client().write(socket.client().replayed(entry.replayPacket(format())), false);
            }
        }
        done(true, page.through(), null);
    }

    /** Ends the catch-up: the held packets go out (or are dropped if replayed), then the answer. */
    private void done(boolean recovered, StreamPosition at, String failure) {
        List<SocketSession.Held> out = held;
        held = null;
        if (!recovered) {
            through = -1; // nothing replayed: nothing to drop
        }
        if (out != null) {
            for (SocketSession.Held h : out) {
                try {
                    if (!replayed.contains(h.packet().sequence())) {
                        socket.deliver(h.packet(), h.message(), h.isVolatile());
                    }
                } finally {
                    h.message().release(); // the catch-up took a reference of its own
                }
            }
        }
        if (socket.catchUps != null) {
            socket.catchUps.finished(this);
        }
        result.complete(new RoomHistory.Replay(recovered, format().format(at), recovered ? replay.size() : 0, failure));
    }

    /**
     * The catch-ups of one socket: the running one holds live packets; finished ones drop late copies
     * of what they replayed. Event loop only.
     */
    static final class Queue {

        private final SocketImpl socket;
        private final ArrayDeque<RoomCatchUp> waiting = new ArrayDeque<>();
        private final List<RoomCatchUp> filters = new ArrayList<>(1);

        private Queue(SocketImpl socket) {
            this.socket = socket;
        }

        /** The socket's queue, created by its first catch-up. */
        static Queue of(SocketImpl socket) {
            if (socket.catchUps == null) {
                socket.catchUps = new Queue(socket);
            }
            return socket.catchUps;
        }

        void add(RoomCatchUp catchUp) {
            waiting.add(catchUp);
            if (waiting.size() == 1) {
                catchUp.begin();
            }
        }

        /**
         * Takes a live packet: true when it was held (a catch-up is running) or dropped (a finished one
         * replayed it); false when it is to be delivered. A hold past {@code maxBytes} closes the
         * connection.
         */
        boolean intercept(BroadcastPacket packet, boolean isVolatile, long maxBytes) {
            long sequence = packet.sequence();
            if (sequence >= 0 && !filters.isEmpty()) {
                filters.removeIf(f -> sequence > f.through);
                for (RoomCatchUp f : filters) {
                    if (f.replayed.contains(sequence)) {
                        return true;
                    }
                }
            }
            RoomCatchUp running = waiting.peekFirst();
            if (running == null || running.held == null) {
                return false;
            }
            // The loop's message for the connection's parser, held with a reference of its own.
            OutboundPacket message = socket.client().messageFor(packet);
            message.retain();
            running.held.add(new SocketSession.Held(packet, message, isVolatile));
            running.heldBytes += message.size();
            if (running.heldBytes > maxBytes) {
                socket.client().closeConnection(SocketImpl.SLOW_CONSUMER, SocketImpl.SLOW_CONSUMER);
            }
            return true;
        }

        private void finished(RoomCatchUp catchUp) {
            if (!waiting.remove(catchUp)) {
                return;
            }
            if (catchUp.through >= 0 && !catchUp.replayed.isEmpty()) {
                filters.add(catchUp);
            }
            RoomCatchUp next = waiting.peekFirst();
            if (next != null) {
                next.begin();
            }
        }
    }
}
