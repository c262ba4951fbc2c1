package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LadderTest {

    private static final String PROPERTY = "sockeye.bench.fanoutLadder";

    @AfterEach
    void clear() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void withoutThePropertyThereIsNoLadder() {
        assertThat(FanoutScenario.ladderRates(100_000)).isEmpty();
    }

    @Test
    void theRungsAreTheGivenRatesUpToOneAndAHalfTimesTheServersMaximumAndHalfItsMaximumInOrder() {
        System.setProperty(PROPERTY, "10000, 30000,60000,100000");
        assertThat(FanoutScenario.ladderRates(50_000)).containsExactly(10_000.0, 25_000.0, 30_000.0, 60_000.0);
        assertThat(FanoutScenario.ladderRates(0)).as("a server that sustained nothing gets no rung above 0")
                .isEmpty();
    }

    @Test
    void eachRungIsAReportRowWithTheLoopbackFloorAbove() {
        Map<String, Object> latency = Map.of("p50Ms", 5.0, "p99Ms", 12.5);
        Map<String, Object> step = Map.of("targetDeliveredPerS", 30_000.0, "deliveredPerS", 29_900.0, "latency", latency,
                "firstRecipient", Map.of("p50Ms", 1.25), "lastRecipient", Map.of("p99Ms", 14.0), "verdict", "sustained");
        Map<String, Object> doc = Map.of(
                "machine", Map.of("loopbackFloor", Map.of("recipient", Map.of("p99Ms", 9.0), "lastRecipient", Map.of("p99Ms", 11.0))),
                "runs", List.of(
                        Map.of("scenario", "fanout", "peer", "node", "size", 1000, "repeat", 0,
                                "result", Map.of("ladder", List.of(Map.of("step", step, "drain",
                                        Map.of("outstanding", 50_000, "received", 50_000, "waitedS", 1.25, "end", "drained"))))),
                        Map.of("scenario", "fanout", "peer", "sockeye", "size", 1000, "repeat", 0,
                                "result", Map.of("ladder", List.of()))));
        String md = LadderReport.markdown(new ObjectMapper().valueToTree(doc));
        assertThat(md).contains("## Fan-out at equal load").contains("recipient p99 9.00 ms")
                .contains("| node | 1,000 | 1 | drained 50.0k in 1.3 s | 30.0k | 29.9k | 5.00 ms | 12.50 ms | 1.25 ms | 14.00 ms | sustained |")
                .doesNotContain("| sockeye |");
    }

    @Test
    void aRungWaitsUntilEveryDeliveryTheStepsBeforeItLeftOutstandingArrived() throws Exception {
        FakeClock clock = new FakeClock();
        Deque<Long> counts = new ArrayDeque<>(List.of(1_000L, 4_000L, 9_000L, 10_000L, 10_000L));
        Results.Drain d = BacklogDrain.await(10_000, counts::pop, clock, 2_000, 60_000);
        assertThat(d.end()).isEqualTo(Results.Drain.DRAINED);
        assertThat(d.received()).isEqualTo(10_000);
        assertThat(d.backlogAtStart()).isZero();
        assertThat(counts).as("stops polling once all arrived").containsExactly(10_000L);
    }

    @Test
    void nothingOutstandingMeansNoWait() throws Exception {
        Results.Drain d = BacklogDrain.await(0, () -> {
            throw new AssertionError("no count needed");
        }, new FakeClock(), 2_000, 60_000);
        assertThat(d.end()).isEqualTo(Results.Drain.NOTHING);
        assertThat(d.waitedS()).isZero();
    }

    @Test
    void theWaitEndsAfterAnIdlePeriodWhenTheRestNeverComesAndTheRungStartsWithoutABacklog() throws Exception {
        FakeClock clock = new FakeClock();
        long[] calls = {0};
        Results.Drain d = BacklogDrain.await(10_000, () -> ++calls[0] < 10 ? calls[0] * 500 : 4_500, clock, 2_000, 60_000);
        assertThat(d.end()).isEqualTo(Results.Drain.IDLE);
        assertThat(d.received()).isEqualTo(4_500);
        assertThat(clock.ms).as("idle for 2 s after the last change at the 9th count").isBetween(2_000L, 2_300L);
        assertThat(d.backlogAtStart()).isZero();
        assertThat(LadderReport.drain(new ObjectMapper().valueToTree(d))).contains("5,500 never came");
    }

    @Test
    void theDeadlineEndsAWaitThatKeepsReceivingAndTheRungIsMarkedAsStartingWithABacklog() throws Exception {
        FakeClock clock = new FakeClock();
        long[] received = {0};
        Results.Drain d = BacklogDrain.await(1_000_000, () -> received[0] += 100, clock, 2_000, 60_000);
        assertThat(d.end()).isEqualTo(Results.Drain.DEADLINE);
        assertThat(clock.ms).isGreaterThanOrEqualTo(60_000L);
        assertThat(d.backlogAtStart()).isEqualTo(1_000_000 - d.received()).isPositive();
        assertThat(LadderReport.drain(new ObjectMapper().valueToTree(d))).startsWith("**backlog: ");
    }

    /** Time that passes only when the drain pauses. */
    private static final class FakeClock implements BacklogDrain.Clock {
        long ms;

        @Override
        public long nanos() {
            return ms * 1_000_000;
        }

        @Override
        public void pause(long pauseMs) {
            ms += pauseMs;
        }
    }
}
