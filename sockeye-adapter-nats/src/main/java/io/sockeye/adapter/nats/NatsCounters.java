package io.sockeye.adapter.nats;

import io.sockeye.core.adapter.ClusterMessageType;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link NatsAdapterStats}: one set per factory, bumped from any thread. */
final class NatsCounters {

    final LongAdder published = new LongAdder();
    final LongAdder broadcastsPublished = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder broadcastsReceived = new LongAdder();
    final LongAdder publishFailures = new LongAdder();
    final LongAdder receiveFailures = new LongAdder();
    final LongAdder requestTimeouts = new LongAdder();
    final LongAdder reconnects = new LongAdder();

    void onPublished(ClusterMessageType type) {
        published.increment();
        if (type == ClusterMessageType.BROADCAST) {
            broadcastsPublished.increment();
        }
    }

    void onReceived(ClusterMessageType type, boolean fromOtherNode) {
        received.increment();
        if (type == ClusterMessageType.BROADCAST && fromOtherNode) {
            broadcastsReceived.increment();
        }
    }
}
