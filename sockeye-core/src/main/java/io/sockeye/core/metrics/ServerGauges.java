package io.sockeye.core.metrics;

import java.util.Map;

/**
 * Values a running server computes on demand, for gauges that are cheaper to read when metrics are
 * collected than to keep up to date on every change. Given to {@link SockeyeMetrics#addGauges};
 * thread-safe; each call walks live state, so call it at collection time only (not per packet).
 * Values are weakly consistent: they may miss changes made while they are computed.
 */
public interface ServerGauges {

    /** Bytes queued for clients and not yet written to the network, summed over open sessions. */
    default long bufferedBytes() {
        return 0;
    }

    /**
     * Bytes held for binary packets whose attachments have not all arrived (their text and the
     * attachments received so far), summed over connections; bounded by {@code maxPendingAttachmentBytes}.
     */
    default long pendingAttachmentBytes() {
        return 0;
    }

    /**
     * Rooms with at least one member on this node, by namespace, not counting the room each socket
     * has for itself (named by its id).
     */
    default Map<String, Long> rooms() {
        return Map.of();
    }

    /**
     * Timeouts pending on the timer wheel behind this server's heartbeats and deadlines, or -1 when
     * unknown. Servers of one process share the default wheel, so they report the same number.
     */
    default long timerPendingTimeouts() {
        return -1;
    }
}
