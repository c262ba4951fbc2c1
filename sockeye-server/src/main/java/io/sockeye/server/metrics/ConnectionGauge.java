package io.sockeye.server.metrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections open now and the most ever open at once. Updated once per connect and disconnect (not
 * per packet), so two atomics are cheap enough; the peak never misses a value between scrapes.
 */
final class ConnectionGauge {

    private final AtomicLong current = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    void increment() {
        long now = current.incrementAndGet();
        if (now > peak.get()) {
            peak.accumulateAndGet(now, Math::max);
        }
    }

    void decrement() {
        current.decrementAndGet();
    }

    long current() {
        return current.get();
    }

    long peak() {
        return peak.get();
    }
}
