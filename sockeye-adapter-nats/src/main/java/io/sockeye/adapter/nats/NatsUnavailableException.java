package io.sockeye.adapter.nats;

import io.sockeye.core.adapter.ClusterUnavailableException;

/**
 * A cluster operation could not be handed to NATS: the connection is down (reconnecting), closed, or
 * its outgoing buffer is full. Raised at once, never after a wait: operations fail fast instead of
 * queueing while the bus is away; local delivery is not affected. Cluster requests (fetchSockets,
 * serverSideEmitWithAck) complete exceptionally with it; fire-and-forget operations (broadcasts,
 * socketsJoin...) are logged and counted in {@code stats().publishErrors()} of the {@link NatsAdapterFactory}.
 */
public final class NatsUnavailableException extends ClusterUnavailableException {

    private static final long serialVersionUID = 1L;

    public NatsUnavailableException(String message) {
        this(message, null);
    }

    public NatsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
