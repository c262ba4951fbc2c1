package io.sockeye.server.metrics;

import io.sockeye.core.adapter.ClusterBusStats;
import io.sockeye.core.adapter.ClusterBusStatus;

/** A cluster bus whose state and counters the test sets: what the Redis and NATS factories report. */
final class SettableBus implements ClusterBusStatus {

    volatile boolean connected = true;
    volatile ClusterBusStats stats = ClusterBusStats.NONE;

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public ClusterBusStats stats() {
        return stats;
    }

    @Override
    public void close() {
        connected = false;
    }
}
