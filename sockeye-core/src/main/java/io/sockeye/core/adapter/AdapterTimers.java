package io.sockeye.core.adapter;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The timer shared by adapters for request timeouts and heartbeats when no scheduler is injected:
 * one daemon thread for the whole JVM (timers only complete futures and publish small messages, so
 * one thread is plenty), with cancelled timeouts removed at once so pending requests do not pile up.
 */
final class AdapterTimers {

    private static final ScheduledExecutorService SHARED = create();

    private AdapterTimers() {
    }

    public static ScheduledExecutorService shared() {
        return SHARED;
    }

    private static ScheduledExecutorService create() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "sockeye-adapter-timer");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }
}
