package io.sockeye.server.limits;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link TokenBucket} per key (e.g. per IP address). Memory is bounded: buckets that refilled
 * completely are idle and forgotten by a sweep that runs at most every {@link #SWEEP_INTERVAL_MILLIS}
 * of clock time, or at once when the map passes {@link #SWEEP_SIZE}; past {@link #MAX_KEYS} live
 * keys (a flood from many addresses) a new key is let through rather than stored — the global limit
 * still applies to it.
 */
final class KeyedRateLimiter {

    static final long SWEEP_INTERVAL_MILLIS = 10_000;
    static final int SWEEP_SIZE = 10_000;
    static final int MAX_KEYS = 100_000;

    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final double ratePerSecond;
    private final double capacity;
    private final Clock clock;
    private final AtomicLong lastSweep;

    KeyedRateLimiter(double ratePerSecond, double capacity, Clock clock) {
        this.ratePerSecond = ratePerSecond;
        this.capacity = Math.max(1, capacity);
        this.clock = clock;
        this.lastSweep = new AtomicLong(clock.millis());
    }

    /** Takes a token from the key's bucket; {@code true} when the request may go on. */
    boolean tryTake(String key) {
        maybeSweep();
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= MAX_KEYS) {
                return true;
            }
            bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(ratePerSecond, capacity, clock));
        }
        return bucket.tryTake();
    }

    /** Milliseconds until the key's bucket has a token again. */
    long millisUntilNextToken(String key) {
        TokenBucket bucket = buckets.get(key);
        return bucket == null ? 0 : bucket.millisUntilNextToken();
    }

    int size() {
        return buckets.size();
    }

    private void maybeSweep() {
        long now = clock.millis();
        long last = lastSweep.get();
        if ((now - last >= SWEEP_INTERVAL_MILLIS || buckets.size() >= SWEEP_SIZE) && lastSweep.compareAndSet(last, now)) {
            buckets.values().removeIf(TokenBucket::isFull);
        }
    }
}
