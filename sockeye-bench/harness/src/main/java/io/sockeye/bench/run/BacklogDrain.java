package io.sockeye.bench.run;

import java.util.concurrent.TimeUnit;

/**
 * Waits, before a rung of the equal-load ladder, for the deliveries earlier steps left outstanding: a rung
 * that starts while an overloaded step's backlog still arrives measures that backlog, not its own rate.
 * The wait ends when every outstanding delivery arrived, when none arrived for {@code idleMs} (the rest
 * will not come: cut off or dropped), or at {@code deadlineMs} with deliveries still arriving — then the
 * rung starts with a backlog, and the report says so.
 */
final class BacklogDrain {

    static final long IDLE_MS = 2_000;
    static final long DEADLINE_MS = 60_000;
    static final long POLL_MS = 20;

    /** Deliveries received since the wait began (the generators' count since their last snapshot). */
    interface Counter {
        long received() throws Exception;
    }

    /** Time, injected so that the logic can be tested without waiting. */
    interface Clock {
        long nanos();

        void pause(long ms) throws InterruptedException;
    }

    static final Clock SYSTEM = new Clock() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public void pause(long ms) throws InterruptedException {
            TimeUnit.MILLISECONDS.sleep(ms);
        }
    };

    private BacklogDrain() {
    }

    static Results.Drain await(long outstanding, Counter counter, Clock clock, long idleMs, long deadlineMs)
            throws Exception {
        long start = clock.nanos();
        if (outstanding <= 0) {
            return new Results.Drain(0, 0, 0, Results.Drain.NOTHING);
        }
        long received = counter.received();
        long lastChange = start;
        while (true) {
            long now = clock.nanos();
            String end = received >= outstanding ? Results.Drain.DRAINED
                    : now - start >= TimeUnit.MILLISECONDS.toNanos(deadlineMs) ? Results.Drain.DEADLINE
                    : now - lastChange >= TimeUnit.MILLISECONDS.toNanos(idleMs) ? Results.Drain.IDLE : null;
            if (end != null) {
                return new Results.Drain(outstanding, received, Load.round((now - start) / 1e9), end);
            }
            clock.pause(POLL_MS);
            long count = counter.received();
            if (count != received) {
                received = count;
                lastChange = clock.nanos();
            }
        }
    }
}
