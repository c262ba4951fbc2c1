package io.sockeye.server.limits;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The standalone server's counters on this node: connections, messages and every rejection by
 * {@link RejectionReason}. Thread-safe and cheap to bump from any event loop; read by {@code GET /api/stats}
 * and exported by the metrics endpoint.
 */
public final class Stats {

    private final AtomicLong connections = new AtomicLong();
    private final LongAdder connectionsTotal = new LongAdder();
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final LongAdder catchUpsRecovered = new LongAdder();
    private final LongAdder catchUpsNotRecovered = new LongAdder();
    private final LongAdder catchUpReplayed = new LongAdder();
    private final Map<RejectionReason, LongAdder> rejections = new EnumMap<>(RejectionReason.class);

    public Stats() {
        for (RejectionReason r : RejectionReason.values()) {
            rejections.put(r, new LongAdder());
        }
    }

    public void connected() {
        connections.incrementAndGet();
        connectionsTotal.increment();
    }

    public void disconnected() {
        connections.decrementAndGet();
    }

    /** A publish accepted from a client or the HTTP API, delivered to {@code localRecipients} here. */
    public void published(long localRecipients) {
        messagesIn.increment();
        messagesOut.add(localRecipients);
    }

    /** A {@code subscribe {since}} ended, recovered or not, with {@code replayed} messages replayed. */
    public void caughtUp(boolean recovered, int replayed) {
        (recovered ? catchUpsRecovered : catchUpsNotRecovered).increment();
        catchUpReplayed.add(replayed);
    }

    /** {@code subscribe {since}} requests that got every message since ({@code recovered}) or not. */
    public long catchUps(boolean recovered) {
        return (recovered ? catchUpsRecovered : catchUpsNotRecovered).sum();
    }

    /** Messages replayed to {@code subscribe {since}} requests. */
    public long catchUpReplayed() {
        return catchUpReplayed.sum();
    }

    public void rejected(RejectionReason reason) {
        rejections.get(reason).increment();
    }

    /** Connections of the rooms service open now. */
    public long connections() {
        return connections.get();
    }

    /** Connections accepted since start. */
    public long connectionsTotal() {
        return connectionsTotal.sum();
    }

    /** Publishes accepted on this node (client and HTTP API). */
    public long messagesIn() {
        return messagesIn.sum();
    }

    /** Events those publishes delivered to this node's connections. */
    public long messagesOut() {
        return messagesOut.sum();
    }

    public long rejections(RejectionReason reason) {
        return rejections.get(reason).sum();
    }

    /** Every rejection counter by {@link RejectionReason#key()}, in declaration order. */
    public Map<String, Long> rejections() {
        Map<String, Long> out = new LinkedHashMap<>();
        rejections.forEach((reason, count) -> out.put(reason.key(), count.sum()));
        return out;
    }
}
