package io.sockeye.core.internal.socket;

import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one socket's user code (middlewares, handlers, listeners, ack completions) in order.
 *
 * <p>Without a handler executor, tasks run on the connection's event loop — inline when already
 * there, which keeps socket.io's synchronous semantics (e.g. {@code disconnecting} sees the rooms).
 * With one, tasks go through a serial queue over that executor: never two at once for one socket,
 * always in submission order, while different sockets run in parallel. Tasks must catch their own
 * exceptions; anything that escapes is logged here so the queue keeps going.
 */
abstract class HandlerDispatcher {

    private static final Logger log = LoggerFactory.getLogger(HandlerDispatcher.class);

    static HandlerDispatcher create(EventExecutor loop, Executor handlerExecutor) {
        return handlerExecutor == null ? new OnLoop(loop) : new Serial(handlerExecutor);
    }

    /** Runs {@code task} after every task submitted before it. */
    abstract void execute(Runnable task);

    static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            log.error("unexpected failure in a socket handler task", t);
        }
    }

    private static final class OnLoop extends HandlerDispatcher {
        private final EventExecutor loop;

        OnLoop(EventExecutor loop) {
            this.loop = loop;
        }

        @Override
        void execute(Runnable task) {
            if (loop.inEventLoop()) {
                runSafely(task);
            } else {
                try {
                    loop.execute(() -> runSafely(task));
                } catch (RejectedExecutionException e) {
                    log.debug("event loop is shutting down; handler task dropped", e);
                }
            }
        }
    }

    private static final class Serial extends HandlerDispatcher {
        // A socket hands the executor at most this many tasks per turn, so one chatty socket cannot
        // hold a pool thread forever while others wait.
        private static final int BATCH = 64;

        private final Executor executor;
        private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Serial(Executor executor) {
            this.executor = executor;
        }

        @Override
        void execute(Runnable task) {
            queue.add(task);
            if (scheduled.compareAndSet(false, true)) {
                submit();
            }
        }

        private void submit() {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                log.warn("handler executor rejected a task; {} queued handler task(s) of a socket dropped",
                        queue.size(), e);
                queue.clear();
            }
        }

        private void drain() {
            Runnable task;
            for (int i = 0; i < BATCH && (task = queue.poll()) != null; i++) {
                runSafely(task);
            }
            scheduled.set(false);
            // A task added after our last poll saw scheduled == true and did not submit: take it now.
            if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
                submit();
            }
        }
    }
}
