package io.sockeye.core.internal.socket;

import io.sockeye.core.AckTimeoutException;
import io.sockeye.core.Args;
import io.sockeye.core.engine.EngineSocket;
import io.sockeye.core.engine.EngineTimer;
import io.sockeye.core.metrics.SockeyeMetrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The acknowledgements one socket awaits from its client, by ack id. Touched only on the
 * connection's event loop; created on the socket's first emit with an ack.
 *
 * <p>Bounded by time: an entry with a timeout is dropped when it expires (broadcast entries always
 * have one), and every entry is dropped when the socket disconnects.
 */
final class AckTable {

    /** What to do with the outcome of one awaited acknowledgement. Called on the event loop. */
    interface Pending {
        void reply(List<Object> args);

        void timeout();

        void disconnected(String reason);
    }

    /**
     * Completes an {@code emitWithAck} future through the socket's dispatcher (user continuations
     * run where handlers run): with the reply, {@link AckTimeoutException}, or
     * {@link IllegalStateException} when the socket disconnects first.
     */
    static Pending completing(CompletableFuture<Args> result, String what, Duration timeout,
                              ServerContext server, HandlerDispatcher dispatcher) {
        return new Pending() {
            @Override
            public void reply(List<Object> args) {
                Args reply = server.args(args);
                dispatcher.execute(() -> result.complete(reply));
            }

            @Override
            public void timeout() {
                dispatcher.execute(() -> result.completeExceptionally(new AckTimeoutException(
                        "operation has timed out: no ack for " + what + " within " + timeout)));
            }

            @Override
            public void disconnected(String reason) {
                dispatcher.execute(() -> result.completeExceptionally(new IllegalStateException(
                        "socket disconnected (" + reason + ") before acknowledging " + what)));
            }
        };
    }

    /** Feeds a broadcast's collector; its timeout and missing clients are the collector's business. */
    static Pending forBroadcast(Consumer<List<Object>> ack) {
        return new Pending() {
            @Override
            public void reply(List<Object> args) {
                ack.accept(args);
            }

            @Override
            public void timeout() {
            }

            @Override
            public void disconnected(String reason) {
            }
        };
    }

    private final EngineSocket engine; // schedules timeouts on the shared wheel, run on the connection's loop
    private final SockeyeMetrics metrics;
    private final Map<Long, Entry> entries = new HashMap<>();

    AckTable(EngineSocket engine, SockeyeMetrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
    }

    private static final class Entry {
        final Pending pending;
        final long sentAt; // System.nanoTime() when awaited, 0 when metrics are off
        EngineTimer.Cancellable timer;

        Entry(Pending pending, long sentAt) {
            this.pending = pending;
            this.sentAt = sentAt;
        }
    }

    /** Awaits the reply to packet {@code id}; {@code timeout} null waits until the socket disconnects. */
    void expect(long id, Duration timeout, Pending pending) {
        Entry entry = new Entry(pending, metrics.enabled() ? System.nanoTime() : 0);
        Entry previous = entries.put(id, entry);
        if (previous != null && previous.timer != null) {
            previous.timer.cancel(); // cannot happen with the namespace counter; be tidy anyway
        }
        if (timeout != null) {
            entry.timer = engine.schedule(() -> expire(id, entry), timeout.toMillis());
        }
    }

    private void expire(long id, Entry entry) {
        if (entries.remove(id, entry)) {
            metrics.ackTimedOut();
            entry.pending.timeout();
        }
    }

    /**
     * Delivers the client's ACK for {@code id}.
     *
     * @return false when nothing awaited it (unknown, expired, or already answered: ignored, as in socket.io)
     */
    boolean complete(long id, List<Object> args) {
        Entry entry = entries.remove(id);
        if (entry == null) {
            return false;
        }
        if (entry.timer != null) {
            entry.timer.cancel();
        }
        if (entry.sentAt != 0) {
            metrics.ackReceived(System.nanoTime() - entry.sentAt);
        }
        entry.pending.reply(args);
        return true;
    }

    /** Drops every entry, telling each that the socket went away. */
    void disconnected(String reason) {
        if (entries.isEmpty()) {
            return;
        }
        List<Entry> all = new ArrayList<>(entries.values());
        entries.clear();
        for (Entry entry : all) {
            if (entry.timer != null) {
                entry.timer.cancel();
            }
            entry.pending.disconnected(reason);
        }
    }

    int size() {
        return entries.size();
    }
}
