package io.sockeye.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that moves only when a test says so, for code that takes a clock instead of reading the
 * system's (limits, history expiry, sessions, login throttling): tests drive time instead of sleeping.
 * Thread-safe; always in UTC.
 */
public final class ManualClock extends Clock {

    private final AtomicLong millis;

    /** Starts at a fixed instant (2023-11-14T22:13:20Z), so runs are repeatable. */
    public ManualClock() {
        this(1_700_000_000_000L);
    }

    public ManualClock(long startMillis) {
        this.millis = new AtomicLong(startMillis);
    }

    /** Starts at the real current time: for code that compares with real timestamps (a token's expiry, say). */
    public static ManualClock startingNow() {
        return new ManualClock(System.currentTimeMillis());
    }

    public void advance(Duration by) {
        millis.addAndGet(by.toMillis());
    }

    public void advanceMillis(long by) {
        millis.addAndGet(by);
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
