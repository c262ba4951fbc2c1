package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
        Map<String, Object> rung = Map.of("targetDeliveredPerS", 30_000.0, "deliveredPerS", 29_900.0, "latency", latency,
                "firstRecipient", Map.of("p50Ms", 1.25), "lastRecipient", Map.of("p99Ms", 14.0), "verdict", "sustained");
        Map<String, Object> doc = Map.of(
                "machine", Map.of("loopbackFloor", Map.of("recipient", Map.of("p99Ms", 9.0), "lastRecipient", Map.of("p99Ms", 11.0))),
                "runs", List.of(
                        Map.of("scenario", "fanout", "peer", "node", "size", 1000, "repeat", 0,
                                "result", Map.of("ladder", List.of(rung))),
                        Map.of("scenario", "fanout", "peer", "sockeye", "size", 1000, "repeat", 0,
                                "result", Map.of("ladder", List.of()))));
        String md = LadderReport.markdown(new ObjectMapper().valueToTree(doc));
        assertThat(md).contains("## Fan-out at equal load").contains("recipient p99 9.00 ms")
                .contains("| node | 1,000 | 1 | 30.0k | 29.9k | 5.00 ms | 12.50 ms | 1.25 ms | 14.00 ms | sustained |")
                .doesNotContain("| sockeye |");
    }
}
