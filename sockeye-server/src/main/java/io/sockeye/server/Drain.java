package io.sockeye.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Disconnects a set of connections spread evenly over a window, in random order, so that clients
 * that reconnect (to this server's replacement or a sibling) arrive as a trickle rather than a
 * thundering herd. Work runs in ticks of {@value #TICK_MILLIS} ms, each closing its share.
 *
 * @param <T> what is closed (a socket)
 */
final class Drain<T> {

    private static final Logger log = LoggerFactory.getLogger(Drain.class);

    /** Granularity of the spread: fine enough to be smooth, coarse enough to batch writes. */
    static final long TICK_MILLIS = 50;

    private final List<T> targets;
    private final Consumer<T> closer;
    private final CompletableFuture<Integer> done = new CompletableFuture<>();
    private final List<Future<?>> ticks = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    /** Runs a task after a delay (a {@code ScheduledExecutorService} in production, a recorder in tests). */
    @FunctionalInterface
    interface Scheduler {
        Future<?> schedule(Runnable task, long delayMillis);
    }

    /**
     * @param targets what to close; shuffled with {@code random}
     * @param closer  closes one target; must not block (a socket disconnect hops to its event loop)
     */
    Drain(List<T> targets, Consumer<T> closer, Random random) {
        List<T> shuffled = new ArrayList<>(targets);
        Collections.shuffle(shuffled, random);
        this.targets = shuffled;
        this.closer = closer;
    }

    /**
     * Starts closing over {@code window} (everything at once when it is zero or nothing is open).
     *
     * @return completes with the number closed once the last one was asked to close
     */
    synchronized CompletableFuture<Integer> start(Duration window, Scheduler scheduler) {
        int n = targets.size();
        long tickCount = Math.max(1, window.toMillis() / TICK_MILLIS);
        if (n == 0 || window.isZero()) {
            closeUpTo(n);
            return done;
        }
        // Tick k (0-based) closes targets up to index ceil((k + 1) * n / tickCount): even shares,
        // the last tick closes whatever is left.
        for (long k = 0; k < tickCount; k++) {
            int upTo = (int) Math.min(n, ((k + 1) * n + tickCount - 1) / tickCount);
            ticks.add(scheduler.schedule(() -> closeUpTo(upTo), k * TICK_MILLIS));
        }
        return done;
    }

    /** Stops spreading: everything not yet closed is closed now. */
    synchronized void hurry() {
        for (Future<?> tick : ticks) {
            tick.cancel(false);
        }
        closeUpTo(targets.size());
    }

    /** How many have been closed so far. */
    int closed() {
        return Math.min(next.get(), targets.size());
    }

    private void closeUpTo(int upTo) {
        int i;
        while ((i = next.get()) < upTo) {
            if (next.compareAndSet(i, i + 1)) {
                try {
                    closer.accept(targets.get(i));
                } catch (RuntimeException e) {
                    // One broken connection must not stop the drain of the others.
                    log.debug("closing {} failed", targets.get(i), e);
                }
            }
        }
        if (next.get() >= targets.size()) {
            done.complete(targets.size());
        }
    }
}
