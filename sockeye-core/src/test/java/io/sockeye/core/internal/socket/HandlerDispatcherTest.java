package io.sockeye.core.internal.socket;

import io.netty.util.concurrent.DefaultEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class HandlerDispatcherTest {

    private final DefaultEventExecutor loop = new DefaultEventExecutor();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void serialQueueRunsTasksInOrderOneAtATime() throws Exception {
        HandlerDispatcher dispatcher = HandlerDispatcher.create(loop, pool);
        List<Integer> order = new ArrayList<>(); // unsynchronized on purpose: tasks must never overlap
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            int n = i;
            dispatcher.execute(() -> {
                if (running.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                order.add(n);
                running.decrementAndGet();
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(overlaps).hasValue(0);
        for (int i = 0; i < 1000; i++) {
            assertThat(order.get(i)).isEqualTo(i);
        }
    }

    @Test
    void aFailingTaskDoesNotStopTheQueue() throws Exception {
        HandlerDispatcher dispatcher = HandlerDispatcher.create(loop, pool);
        CountDownLatch after = new CountDownLatch(1);
        dispatcher.execute(() -> {
            throw new IllegalStateException("bug");
        });
        dispatcher.execute(after::countDown);
        assertThat(after.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void withoutExecutorTasksRunOnTheLoop() throws Exception {
        HandlerDispatcher dispatcher = HandlerDispatcher.create(loop, null);
        CountDownLatch onLoop = new CountDownLatch(1);
        dispatcher.execute(() -> {
            if (loop.inEventLoop()) {
                onLoop.countDown();
            }
        });
        assertThat(onLoop.await(30, TimeUnit.SECONDS)).isTrue();
    }
}
