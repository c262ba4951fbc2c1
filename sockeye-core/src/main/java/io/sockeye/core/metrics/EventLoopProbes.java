package io.sockeye.core.metrics;

import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Measures how late each event loop runs a task scheduled for a known time: a loop busy with long
 * handlers, big broadcasts or GC pauses runs it late, and every connection on that loop waits as long.
 * One small task per loop, rescheduled after each run; loops are watched from the first time a
 * session is seen on them (a metrics implementation calls {@link #watch} from
 * {@link SockeyeMetrics#sessionOpened}). Each delay, in nanoseconds, goes to a callback, e.g. a histogram.
 */
public final class EventLoopProbes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLoopProbes.class);

    private final LongConsumer lateNanos;
    private final long intervalNanos;
    private final Map<EventExecutor, Probe> probes = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param interval  how often each loop is probed
     * @param lateNanos receives how late each probe ran, in nanoseconds (on the loop: must be cheap)
     */
    public EventLoopProbes(Duration interval, LongConsumer lateNanos) {
        this.lateNanos = lateNanos;
        this.intervalNanos = interval.toNanos();
    }

    /** Starts probing {@code loop} unless it already is. Cheap when it is: one map lookup. */
    public void watch(EventExecutor loop) {
        if (closed || probes.containsKey(loop)) {
            return;
        }
        Probe probe = new Probe(loop);
        if (probes.putIfAbsent(loop, probe) == null) {
            probe.schedule();
        }
    }

    /** Number of loops watched (tests). */
    public int watched() {
        return probes.size();
    }

    @Override
    public void close() {
        closed = true;
        probes.values().forEach(Probe::cancel);
        probes.clear();
    }

    private final class Probe implements Runnable {
        private final EventExecutor loop;
        private volatile Future<?> next;
        private long due;

        Probe(EventExecutor loop) {
            this.loop = loop;
        }

        void schedule() {
            if (closed || loop.isShuttingDown()) {
                probes.remove(loop, this);
                return;
            }
            due = System.nanoTime() + intervalNanos;
            try {
                next = loop.schedule(this, intervalNanos, TimeUnit.NANOSECONDS);
            } catch (RuntimeException e) {
                // A loop that is shutting down, or an executor that cannot schedule: stop watching it.
                log.debug("cannot probe event loop {}: {}", loop, e.toString());
                probes.remove(loop, this);
            }
        }

        @Override
        public void run() {
            lateNanos.accept(Math.max(0, System.nanoTime() - due));
            schedule();
        }

        void cancel() {
            Future<?> f = next;
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
