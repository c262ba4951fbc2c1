package io.sockeye.adapter.redis.internal;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@code RedisAdapterMetrics}; updated from any thread. */
public final class Counters {

    private final LongAdder publishes = new LongAdder();
    private final LongAdder receives = new LongAdder();
    private final LongAdder requestTimeouts = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder reconnects = new LongAdder();

    public void publish() {
        publishes.increment();
    }

    public void receive() {
        receives.increment();
    }

    public void requestTimeout() {
        requestTimeouts.increment();
    }

    public void error() {
        errors.increment();
    }

    public void reconnect() {
        reconnects.increment();
    }

    public long publishes() {
        return publishes.sum();
    }

    public long receives() {
        return receives.sum();
    }

    public long requestTimeouts() {
        return requestTimeouts.sum();
    }

    public long errors() {
        return errors.sum();
    }

    public long reconnects() {
        return reconnects.sum();
    }
}
