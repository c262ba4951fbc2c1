package io.sockeye.core.adapter;

/**
 * The connection a cluster backend keeps to its bus (Redis, NATS...), as whoever runs the node sees it:
 * whether it is up, what went through it, and closing it. The adapter factory of a cluster backend
 * implements it; a server's readiness probe, metrics and shutdown need nothing else from the bus.
 *
 * <p>Obligations: {@link #isConnected()} and {@link #stats()} never block (they are read on scrape
 * and probe paths) and may be called from any thread, before and after {@link #close()}.
 */
public interface ClusterBusStatus extends AutoCloseable {

    /** Whether cluster operations can reach the other nodes right now (for readiness checks). */
    boolean isConnected();

    /** A snapshot of the bus's counters, summed over the node's namespaces since the backend was created. */
    ClusterBusStats stats();

    /**
     * Closes the connections the backend opened. Close the server (its adapters) first, so that they
     * say goodbye on the bus. Idempotent; never throws.
     */
    @Override
    void close();
}
