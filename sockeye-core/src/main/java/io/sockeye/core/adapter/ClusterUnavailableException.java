package io.sockeye.core.adapter;

/**
 * The cluster bus is unreachable (disconnected, reconnecting, closed or its outgoing buffer is full).
 * Backends raise a subclass at once instead of queueing while the bus is away; local delivery is not
 * affected. Callers map it to "unavailable" (the standalone server answers {@code unavailable} / 503).
 */
public class ClusterUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message) {
        this(message, null);
    }

    public ClusterUnavailableException(String message, Throwable cause) {
        // No stack trace: an expected condition during an outage, and the message says it all.
        super(message, cause, false, false);
    }
}
