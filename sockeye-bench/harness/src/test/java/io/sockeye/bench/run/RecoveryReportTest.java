package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The recovery scenarios' smoke check and tables, on made-up results. */
class RecoveryReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RecoveryStormScenario.Result storm(int recovered, long duplicates, long lost) {
        return new RecoveryStormScenario.Result(300, 1, "same node", 100, 5000, 900, 300, recovered, 300 - recovered,
                recovered / 300.0, 1500, 150_000, 100_000, duplicates, lost, 0, 800, 90,
                recovered == 300 ? Map.of() : Map.of("recovered: false", 300 - recovered), 0, Map.of(),
                new Recoveries(300, recovered, 0, recovered == 300 ? Map.of() : Map.of("pruned", 300L - recovered)));
    }

    private static List<String> problems(String scenario, Object result) {
        List<String> problems = new ArrayList<>();
        RecoveryReport.check(scenario, JSON.valueToTree(result), scenario, problems);
        return problems;
    }

    @Test
    void aStormWhereEveryClientRecoveredEveryMessageOncePasses() {
        assertThat(problems("recovery", storm(300, 0, 0))).isEmpty();
    }

    @Test
    void aStormFailsWhenAClientWasNotRecoveredOrAMessageWasLostOrRepeated() {
        assertThat(problems("recovery", storm(299, 0, 0))).singleElement().asString().contains("299 of 300")
                .contains("servers' failed restores: pruned 1");
        assertThat(problems("recovery", storm(300, 0, 3))).singleElement().asString().contains("3 lost");
        assertThat(problems("recovery", storm(300, 2, 0))).singleElement().asString().contains("2 duplicates");
    }

    @Test
    void retainedFailsWhenAnEntryWasEvictedAndPassesWhenAllWereKept() {
        RetainedScenario.Result kept = new RetainedScenario.Result(5000, 128, 5, 5000, 0, 10_000_000, 12_000_000, 400, 304,
                128, 1 << 30);
        RetainedScenario.Result evicted = new RetainedScenario.Result(5000, 128, 5, 5000, 10, 10_000_000, 12_000_000, 400,
                304, 128, 1 << 30);
        assertThat(problems("retained", kept)).isEmpty();
        assertThat(problems("retained", evicted)).singleElement().asString().contains("10 evicted");
    }

    @Test
    void resultsMarkdownHasATableForEachRecoveryScenario() {
        JsonNode doc = JSON.valueToTree(Map.of("runs", List.of(
                new Results.Run("recovery", RecoveryReport.ONE_NODE, 300, 0, "ok", null, 20, storm(300, 0, 0)),
                new Results.Run("retained", RecoveryReport.ONE_NODE, 128, 0, "ok", null, 10,
                        new RetainedScenario.Result(5000, 128, 5, 5000, 0, 1, 2, 400, 304, 128, 1 << 30)))));
        String md = RecoveryReport.markdown(doc);
        assertThat(md).contains("## Memory per retained message").contains("| 128 B | 5,000 | 5 | 400 B | 304 B | 0 | ok |")
                .contains("## Recovery storm").contains("| sockeye-csr | 300 | 100 | same node | 100.0 % |");
    }

    @Test
    void theStormTableShowsWhyTheServersAnsweredRecoveredFalse() {
        JsonNode doc = JSON.valueToTree(Map.of("runs", List.of(
                new Results.Run("recovery", RecoveryReport.TWO_NODES, 300, 0, "ok", null, 20, storm(255, 0, 0)),
                new Results.Run("recovery", RecoveryReport.ONE_NODE, 300, 0, "ok", null, 20, storm(300, 0, 0)))));
        assertThat(RecoveryReport.markdown(doc)).contains("servers: recovered: false by reason")
                .contains("| pruned 45 | ok |").contains("| none | ok |");
        assertThat(RecoveryReport.oneLine(storm(255, 0, 0))).endsWith("servers' failed restores: pruned 45");
    }

    @Test
    void aPeersRecoveryLineParsesAndSumsOverNodes() {
        Recoveries a = Recoveries.parse("RECOVERY attempted=10 succeeded=7 tookOver=1 failed=pruned:2,unavailable:1");
        Recoveries b = Recoveries.parse("RECOVERY attempted=5 succeeded=5 tookOver=0 failed=");
        assertThat(Recoveries.sum(List.of(a, b))).isEqualTo(new Recoveries(15, 12, 1, Map.of("pruned", 2L, "unavailable", 1L)));
        assertThat(Recoveries.reasons(b.failed())).isEqualTo("none");
    }

    @Test
    void offsetsCompareInStreamOrderInBothFormats() {
        assertThat(RecoveryClients.compareOffsets("k3j9x0qa.0000000000000042", "k3j9x0qa.0000000000000041")).isPositive();
        assertThat(RecoveryClients.compareOffsets("1700000000000-10", "1700000000000-9")).isPositive();
        assertThat(RecoveryClients.compareOffsets("1700000000000-0", "999999999999-5")).isPositive();
        assertThat(RecoveryClients.compareOffsets("1700000000000-3", "1700000000000-3")).isZero();
    }
}
