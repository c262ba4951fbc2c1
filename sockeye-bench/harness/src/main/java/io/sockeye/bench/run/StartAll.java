package io.sockeye.bench.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;

/** Starts several server processes at once: JVM start-up on a shared CPU is the slow part. */
final class StartAll {

    private StartAll() {
    }

    /** Runs {@code start.apply(i)} for i in [0, n) concurrently; if any fails, closes the others and throws. */
    static <T extends AutoCloseable> List<T> start(int n, IntFunction<Callable<T>> start) throws Exception {
        List<CompletableFuture<T>> starting = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Callable<T> task = start.apply(i);
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return task.call();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }));
        }
        List<T> started = new ArrayList<>();
        Exception failure = null;
        for (CompletableFuture<T> f : starting) {
            try {
                started.add(f.join());
            } catch (CompletionException e) {
                failure = e.getCause() instanceof Exception ex ? ex : e;
            }
        }
        if (failure != null) {
            for (T t : started) {
                t.close();
            }
            throw failure;
        }
        return started;
    }
}
