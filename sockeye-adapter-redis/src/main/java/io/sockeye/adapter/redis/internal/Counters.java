package io.sockeye.adapter.redis.internal;

import io.sockeye.core.adapter.ClusterBusStats;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind a Redis factory's {@link ClusterBusStats}; bumped from any thread. */
public final class Counters {

    private final LongAdder published = new LongAdder();
    private final LongAdder publishErrors = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder receiveErrors = new LongAdder();
    private final LongAdder reconnects = new LongAdder();

    public void published() {
        published.increment();
    }

    public void publishError() {
        publishErrors.increment();
    }

    public void received() {
        received.increment();
    }

    public void receiveError() {
        receiveErrors.increment();
    }

    public void reconnected() {
        reconnects.increment();
    }

    public ClusterBusStats snapshot(int roomSubscriptions) {
        return new ClusterBusStats(published.sum(), publishErrors.sum(), received.sum(), receiveErrors.sum(),
                reconnects.sum(), roomSubscriptions);
    }
}
