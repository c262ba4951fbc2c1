package io.sockeye.core.internal.socket;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.sockeye.core.Next;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

class MiddlewareChainTest {

    private final DefaultEventExecutor loop = new DefaultEventExecutor();
    private final HandlerDispatcher dispatcher = HandlerDispatcher.create(loop, null);

    @AfterEach
    void tearDown() {
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Optional<Exception> run(List<BiConsumer<String, Next>> middlewares) {
        CompletableFuture<Optional<Exception>> done = new CompletableFuture<>();
        loop.execute(() -> new MiddlewareChain<>(middlewares, (mw, next) -> mw.accept("x", next),
                error -> done.complete(Optional.ofNullable(error)), dispatcher).start());
        return done.join();
    }

    @Test
    void runsEveryMiddlewareInOrderThenCompletes() {
        List<Integer> calls = new CopyOnWriteArrayList<>();
        Optional<Exception> result = run(List.of(
                (s, next) -> { calls.add(1); next.proceed(); },
                (s, next) -> { calls.add(2); next.proceed(); }));
        assertThat(result).isEmpty();
        assertThat(calls).containsExactly(1, 2);
    }

    @Test
    void stopsAtTheFirstRejection() {
        List<Integer> calls = new CopyOnWriteArrayList<>();
        IllegalStateException no = new IllegalStateException("no");
        Optional<Exception> result = run(List.of(
                (s, next) -> { calls.add(1); next.reject(no); },
                (s, next) -> { calls.add(2); next.proceed(); }));
        assertThat(result).containsSame(no);
        assertThat(calls).containsExactly(1);
    }

    @Test
    void resumesOnTheLoopWhenProceedingFromAnotherThread() {
        AtomicReference<Boolean> secondOnLoop = new AtomicReference<>();
        Optional<Exception> result = run(List.of(
                (s, next) -> new Thread(next::proceed).start(),
                (s, next) -> { secondOnLoop.set(loop.inEventLoop()); next.proceed(); }));
        assertThat(result).isEmpty();
        assertThat(secondOnLoop.get()).isTrue();
    }

    @Test
    void onlyTheFirstCallToNextCounts() {
        List<Integer> calls = new CopyOnWriteArrayList<>();
        Optional<Exception> result = run(List.of(
                (s, next) -> { next.proceed(); next.reject(new IllegalStateException()); next.proceed(); },
                (s, next) -> { calls.add(2); next.proceed(); }));
        assertThat(result).isEmpty();
        assertThat(calls).containsExactly(2);
    }

    @Test
    void emptyChainCompletesAtOnce() {
        assertThat(run(List.of())).isEmpty();
    }
}
