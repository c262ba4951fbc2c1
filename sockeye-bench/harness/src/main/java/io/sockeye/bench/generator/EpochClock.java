package io.sockeye.bench.generator;

import java.time.Instant;

/**
 * Nanoseconds since the epoch with {@link System#nanoTime()}'s cheapness and monotonicity. A fan-out's
 * publisher and its subscribers may live in different generator processes, whose nanoTime origins
 * differ; anchoring each process's nanoTime to the wall clock once makes their timestamps comparable
 * (to the microseconds of the wall clock's resolution, far below the latencies measured).
 */
public final class EpochClock {

    private static final long OFFSET = offset();

    private EpochClock() {
    }

    public static long nanos() {
        return System.nanoTime() + OFFSET;
    }

    /** The offset from the tightest of a few (wall clock, nanoTime) pairs. */
    private static long offset() {
        long best = 0;
        long bestWidth = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long before = System.nanoTime();
            Instant now = Instant.now();
            long after = System.nanoTime();
            if (after - before < bestWidth) {
                bestWidth = after - before;
                long wall = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                best = wall - (before + (after - before) / 2);
            }
        }
        return best;
    }
}
