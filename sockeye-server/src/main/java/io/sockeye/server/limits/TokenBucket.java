package io.sockeye.server.limits;

import java.time.Clock;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled continuously at {@code ratePerSecond}
 * as the injected {@link Clock} advances; each accepted request takes one. Starts full, so a fresh
 * connection may send a burst at once. Thread-safe (a connection's requests normally arrive on one
 * thread; the lock is uncontended).
 */
public final class TokenBucket {

    private final Clock clock;
    private final double ratePerMilli;
    private final double capacity;
    private double tokens;
    private long lastRefillMillis;

    public TokenBucket(double ratePerSecond, double capacity, Clock clock) {
        if (!(ratePerSecond > 0) || !(capacity >= 1)) {
            throw new IllegalArgumentException("rate must be > 0 and capacity >= 1");
        }
        this.clock = clock;
        this.ratePerMilli = ratePerSecond / 1000.0;
        this.capacity = capacity;
        this.tokens = capacity;
        this.lastRefillMillis = clock.millis();
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryTake() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Milliseconds until a token is available (0 when one is available now). */
    public synchronized long millisUntilNextToken() {
        refill();
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / ratePerMilli);
    }

    /** Whether the bucket is full (an idle bucket, which a keyed limiter may forget). */
    public synchronized boolean isFull() {
        refill();
        return tokens >= capacity;
    }

    private void refill() {
        long now = clock.millis();
        long elapsed = now - lastRefillMillis;
        // A clock stepping backwards refills nothing rather than draining the bucket.
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * ratePerMilli);
            lastRefillMillis = now;
        } else if (elapsed < 0) {
            lastRefillMillis = now;
        }
    }
}
