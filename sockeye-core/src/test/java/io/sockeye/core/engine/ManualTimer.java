package io.sockeye.core.engine;

import java.util.ArrayList;
import java.util.List;

/** An {@link EngineTimer} whose time only moves when the test says so. */
final class ManualTimer implements EngineTimer {

    private final List<Task> tasks = new ArrayList<>();
    private long nowNanos;

    private static final class Task implements Cancellable {
        final long due;
        final Runnable run;
        boolean cancelled;

        Task(long due, Runnable run) {
            this.due = due;
            this.run = run;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayMillis) {
        Task t = new Task(nowNanos + delayMillis * 1_000_000, task);
        tasks.add(t);
        return t;
    }

    @Override
    public synchronized long nanoTime() {
        return nowNanos;
    }

    @Override
    public synchronized long pendingTimeouts() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }

    /** Moves the clock without running anything (as if the wheel had not ticked yet). */
    synchronized void skip(long millis) {
        nowNanos += millis * 1_000_000;
    }

    /** Moves time forward, running every task that falls due, in order. */
    void advance(long millis) {
        long target;
        synchronized (this) {
            target = nowNanos + millis * 1_000_000;
        }
        while (true) {
            Task next = null;
            synchronized (this) {
                for (Task t : tasks) {
                    if (!t.cancelled && t.due <= target && (next == null || t.due < next.due)) {
                        next = t;
                    }
                }
                if (next == null) {
                    nowNanos = target;
                    tasks.removeIf(t -> t.cancelled || t.due <= target);
                    return;
                }
                nowNanos = next.due;
                next.cancelled = true;
            }
            next.run.run();
        }
    }
}
