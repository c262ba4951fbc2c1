package io.sockeye.netty.internal;

import io.sockeye.netty.ConnectionStats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link ConnectionStats}, written by the front's handlers. */
public final class ConnectionCounters implements ConnectionStats {

    private final AtomicLong open = new AtomicLong();
    private final LongAdder[] refused = adders(Refusal.values().length);
    private final LongAdder[] timedOut = adders(Deadline.values().length);
    private final LongAdder[] reset = adders(Reset.values().length);
    private final LongAdder compressed = new LongAdder();
    private volatile long maxConnections = Long.MAX_VALUE;

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    void maxConnections(long max) {
        maxConnections = max;
    }

    /** One more connection open; returns how many are open now. */
    long opened() {
        return open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    void countRefused(Refusal why) {
        refused[why.ordinal()].increment();
    }

    void countTimedOut(Deadline deadline) {
        timedOut[deadline.ordinal()].increment();
    }

    void countReset(Reset why) {
        reset[why.ordinal()].increment();
    }

    void countCompressed() {
        compressed.increment();
    }

    @Override
    public long messagesCompressed() {
        return compressed.sum();
    }

    @Override
    public long open() {
        return open.get();
    }

    @Override
    public long maxConnections() {
        return maxConnections;
    }

    @Override
    public long refused(Refusal why) {
        return refused[why.ordinal()].sum();
    }

    @Override
    public long timedOut(Deadline deadline) {
        return timedOut[deadline.ordinal()].sum();
    }

    @Override
    public long reset(Reset why) {
        return reset[why.ordinal()].sum();
    }

    @Override
    public boolean directMemoryPressure() {
        return DirectMemory.underPressure();
    }
}
