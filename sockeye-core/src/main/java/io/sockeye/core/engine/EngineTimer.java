package io.sockeye.core.engine;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one timer behind every heartbeat and timeout: a shared hashed wheel, not a scheduled task per
 * connection. Tasks run on the timer thread and must only hop to the right event loop. Tests inject
 * their own implementation to drive time.
 */
public interface EngineTimer {

    /** A scheduled task that can be cancelled. */
    interface Cancellable {
        void cancel();
    }

    Cancellable schedule(Runnable task, long delayMillis);

    /** Monotonic time in nanoseconds, consistent with {@link #schedule}. */
    default long nanoTime() {
        return System.nanoTime();
    }

    /**
     * Tasks scheduled and neither run nor cancelled yet (a cancelled one may count until the wheel's next
     * tick), or -1 when this timer does not know: a gauge that must stay flat while connections churn.
     */
    default long pendingTimeouts() {
        return -1;
    }

    /** The process-wide default wheel (10 ms ticks, daemon thread). */
    static EngineTimer shared() {
        return WheelTimer.SHARED;
    }

    /** Default implementation over Netty's {@link HashedWheelTimer}. */
    final class WheelTimer implements EngineTimer {
        static final WheelTimer SHARED = new WheelTimer();

        private final HashedWheelTimer wheel;

        private WheelTimer() {
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "sockeye-timer");
                t.setDaemon(true);
                return t;
            };
            // 10 ms resolution keeps heartbeats accurate (the protocol suites use 300/200 ms);
            // 1024 buckets cover ~10 s per round, the default ping interval fits in three rounds.
            wheel = new HashedWheelTimer(tf, 10, TimeUnit.MILLISECONDS, 1024, false);
        }

        @Override
        public Cancellable schedule(Runnable task, long delayMillis) {
            Timeout t = wheel.newTimeout(timeout -> task.run(), delayMillis, TimeUnit.MILLISECONDS);
            return t::cancel;
        }

        @Override
        public long pendingTimeouts() {
            return wheel.pendingTimeouts();
        }
    }
}
