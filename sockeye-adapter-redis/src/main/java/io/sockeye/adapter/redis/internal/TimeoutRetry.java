package io.sockeye.adapter.redis.internal;

import io.lettuce.core.RedisCommandTimeoutException;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Sends a command again when its answer did not come within the client's command timeout: under load
 * (a reconnection storm on a busy CPU, a GC pause) an answer can come late although Redis ran the command
 * at once. Only for commands that give the same answer when run twice: reads, and the session claim,
 * which remembers who claimed.
 */
final class TimeoutRetry {

    /** Attempts in all: with the default 5 s timeout, a restore waits up to 20 s before it gives up. */
    static final int ATTEMPTS = 4;

    private TimeoutRetry() {
    }

    /** {@code call}'s outcome, called again (up to {@code attempts} in all) while it fails with a timeout. */
    static <T> CompletableFuture<T> call(int attempts, Supplier<CompletableFuture<T>> call) {
        return call.get().handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(value);
            }
            if (attempts > 1 && timedOut(error)) {
                return call(attempts - 1, call);
            }
            return CompletableFuture.<T>failedFuture(error);
        }).thenCompose(f -> f);
    }

    static boolean timedOut(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
