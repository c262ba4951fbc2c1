package io.sockeye.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The spread of a drain, with the scheduler under the test's control: ticks are recorded, then run by hand. */
class DrainTest {

    private record Tick(long delayMillis, Runnable task, CompletableFuture<Void> handle) {
    }

    private final List<Tick> ticks = new ArrayList<>();
    private final List<Integer> closed = new ArrayList<>();

    private Future<?> record(Runnable task, long delayMillis) {
        CompletableFuture<Void> handle = new CompletableFuture<>();
        ticks.add(new Tick(delayMillis, task, handle));
        return handle;
    }

    private static List<Integer> numbers(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void spreadsClosesEvenlyOverTheWindowInRandomOrder() {
        Drain<Integer> drain = new Drain<>(numbers(100), closed::add, new Random(42));
        CompletableFuture<Integer> done = drain.start(Duration.ofSeconds(1), this::record);

        assertThat(closed).as("nothing closes before its tick").isEmpty();
        assertThat(ticks).hasSize(20);
        assertThat(ticks.stream().map(Tick::delayMillis)).containsExactlyElementsOf(
                IntStream.range(0, 20).mapToObj(k -> (long) k * Drain.TICK_MILLIS).toList());
        for (int k = 0; k < ticks.size(); k++) {
            ticks.get(k).task().run();
            assertThat(closed).as("after tick %d", k).hasSize((k + 1) * 5);
        }
        assertThat(done).isCompletedWithValue(100);
        assertThat(closed).containsExactlyInAnyOrderElementsOf(numbers(100)).isNotEqualTo(numbers(100));
    }

    @Test
    void fewerTargetsThanTicksCloseOneAtEvenIntervals() {
        Drain<Integer> drain = new Drain<>(numbers(3), closed::add, new Random(1));
        drain.start(Duration.ofMillis(500), this::record);
        List<Integer> sizes = new ArrayList<>();
        for (Tick t : ticks) {
            t.task().run();
            sizes.add(closed.size());
        }
        // 10 ticks for 3 targets: the first at once, then one every ~3 ticks.
        assertThat(sizes).containsExactly(1, 1, 1, 2, 2, 2, 3, 3, 3, 3);
        assertThat(closed).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void zeroWindowOrNothingOpenClosesAtOnce() {
        assertThat(new Drain<>(numbers(4), closed::add, new Random(1)).start(Duration.ZERO, this::record))
                .isCompletedWithValue(4);
        assertThat(closed).hasSize(4);
        assertThat(new Drain<Integer>(List.of(), closed::add, new Random(1)).start(Duration.ofSeconds(5), this::record))
                .isCompletedWithValue(0);
        assertThat(ticks).isEmpty();
    }

    @Test
    void hurryClosesTheRestAndCancelsTheTicks() {
        Drain<Integer> drain = new Drain<>(numbers(10), closed::add, new Random(7));
        CompletableFuture<Integer> done = drain.start(Duration.ofSeconds(1), this::record);
        ticks.get(0).task().run();
        assertThat(drain.closed()).isEqualTo(1);

        drain.hurry();

        assertThat(closed).containsExactlyInAnyOrderElementsOf(numbers(10));
        assertThat(done).isCompletedWithValue(10);
        assertThat(ticks).allSatisfy(t -> assertThat(t.handle()).isCancelled());
        ticks.get(5).task().run(); // a tick that fires anyway closes nothing twice
        assertThat(closed).hasSize(10);
    }

    @Test
    void oneFailingCloseDoesNotStopTheOthers() {
        Drain<Integer> drain = new Drain<>(numbers(5), n -> {
            if (n == 2) {
                throw new IllegalStateException("broken connection");
            }
            closed.add(n);
        }, new Random(3));
        assertThat(drain.start(Duration.ZERO, this::record)).isCompletedWithValue(5);
        assertThat(closed).containsExactlyInAnyOrder(0, 1, 3, 4);
    }
}
