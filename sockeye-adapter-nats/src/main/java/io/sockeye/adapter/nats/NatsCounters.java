package io.sockeye.adapter.nats;

import io.sockeye.core.adapter.ClusterMessageType;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind a NATS factory's {@code ClusterBusStats}: one set per factory, bumped from any
 * thread. Broadcasts are also counted on their own, to tell in diagnosis (and tests) which node's
 * subscriptions a broadcast reached.
 */
final class NatsCounters {

    final LongAdder published = new LongAdder();
    final LongAdder publishErrors = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder receiveErrors = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder broadcastsPublished = new LongAdder();
    final LongAdder broadcastsReceived = new LongAdder();

    void onPublished(ClusterMessageType type) {
        published.increment();
        if (type == ClusterMessageType.BROADCAST) {
            broadcastsPublished.increment();
        }
    }
}
