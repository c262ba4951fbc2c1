package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's criteria (SoakJudge), its report and the smoke test's judgement, on made-up samples. */
class SoakCheckTest {

    @TempDir
    Path out;

    private static final Map<String, Integer> NO_SOCKETS = Map.of("normal", 0, "slowloris", 0, "other", 0);

    private static Results.SoakSample sample(double t, String phase, long fds, long threads, long timer, long sessions,
                                             Map<String, Integer> held) {
        return new Results.SoakSample(t, phase, 40L << 20, 2L << 20, 4L << 20, 2L << 20, fds, threads, 30, timer,
                200L << 20, (long) (t * 300), (long) (t * 400), sessions, 0, held, null);
    }

    /**
     * One server: a baseline, 145 churn samples 10 s apart (fds swinging around 500, plus {@code fdsPerMinute}),
     * and a settle sample back at the baseline.
     */
    private static List<Results.SoakSample> samples(double fdsPerMinute) {
        List<Results.SoakSample> s = new ArrayList<>();
        s.add(sample(0, "baseline", 90, 14, 0, 0, NO_SOCKETS));
        for (int i = 0; i <= 180; i++) {
            double t = i * 10.0;
            long fds = 500 + (i % 7) * 5 + Math.round(fdsPerMinute * t / 60);
            s.add(sample(t, "churn", fds, 14, 300 + i % 5, 300, Map.of("normal", 400, "slowloris", 0, "other", 3)));
        }
        s.add(sample(12, "settle", 90, 14, 0, 0, NO_SOCKETS));
        return s;
    }

    private static Results.Soak soak(String name, double fdsPerMinute, ServerLogScan.Scan log, int taken, long errors) {
        List<Results.SoakSample> samples = samples(fdsPerMinute);
        Results.SoakServer server = new Results.SoakServer(name, 42, 181, taken, 0, log, samples);
        List<Results.SoakSeries> series = SoakJudge.series(name, samples, 360, true);
        Results.SoakSample baseline = samples.get(0);
        Results.SoakSample end = samples.get(samples.size() - 1);
        List<Results.SoakSettle> settle = List.of(new Results.SoakSettle(name, SoakJudge.settleValues(baseline),
                SoakJudge.settleValues(end), 12, SoakJudge.notBack(baseline, end)));
        List<String> problems = SoakJudge.problems(List.of(server), series, settle, errors, 6000);
        return new Results.Soak(1, 60, 1800, 10, 360, true, List.of(server), series, settle,
                Map.of("sessions.started.normal.websocket", 6000L), Map.of(), errors, 6000, problems);
    }

    private static ServerLogScan.Scan cleanLog() {
        return new ServerLogScan.Scan(10, 0, 0, 0, 1, List.of(), List.of("WARN no JWT key"));
    }

    private JsonNode write(Results.Soak one, Results.Soak cluster) throws Exception {
        return ResultsDocs.write(out, "soak", Plan.full(), List.of(), Map.of("cpus", 2), List.of(
                new Results.Run("soak", "sockeye-server", 1, 0, "ok", null, 2000, one),
                new Results.Run("soak", "sockeye-server-cluster-2", 2, 0, "ok", null, 2000, cluster)));
    }

    @Test
    void aRunWhereNothingGrowsPassesWithItsTablesAndAPlotPerSeries() throws Exception {
        Results.Soak flat = soak("soak-node", 0, cleanLog(), 181, 3);
        assertThat(flat.problems()).isEmpty();
        assertThat(flat.series()).extracting(Results.SoakSeries::verdict).containsOnly("flat");
        write(flat, soak("soak-cluster-node-0", 0, cleanLog(), 181, 0));

        ResultsCheck.Outcome outcome = ResultsCheck.checkAll(out, List.of(), List.of("soak"));
        assertThat(outcome.problems()).isEmpty();
        assertThat(outcome.passed()).isEqualTo(2);
        String md = Files.readString(out.resolve("results.md"));
        assertThat(md).contains("## Soak: sockeye-server (1 node)", "## Soak: sockeye-server-cluster-2 (2 nodes over Redis)",
                "**Verdict: passes**", "| soak-node | fds | 515.0 |", "| soak-node | 12.0 s | 90 → 90 | 14 → 14 | 0 → 0 | 0 → 0 | 0 → 0 | yes |");
        for (SoakJudge.Series s : SoakJudge.Series.values()) {
            assertThat(out.resolve(SoakReport.png("sockeye-server", s.id()))).exists();
        }
        assertThat(out.resolve(SoakReport.png("sockeye-server", "held-sockets"))).exists();
    }

    @Test
    void aGrowingSeriesALeakReportMissingSamplesAndClientErrorsFailTheRun() throws Exception {
        ServerLogScan.Scan leaky = new ServerLogScan.Scan(10, 0, 1, 1, 0,
                List.of("ERROR io.netty.util.ResourceLeakDetector: LEAK: ByteBuf.release() was not called"), List.of());
        Results.Soak bad = soak("soak-node", 1, leaky, 170, 100);

        assertThat(bad.series()).filteredOn(s -> s.series().equals("fds")).extracting(Results.SoakSeries::verdict)
                .containsExactly("grows");
        assertThat(bad.problems()).anyMatch(p -> p.equals("soak-node: fds grows: 61.1 per hour, 24.4 over the fitted 24 minutes (tolerance 8.0)"))
                .anyMatch(p -> p.equals("soak-node: 1 Netty leak report(s) in the log"))
                .anyMatch(p -> p.startsWith("soak-node: 1 ERROR line(s) in the log"))
                .anyMatch(p -> p.equals("soak-node: 170 of 181 samples taken, 0 failed"))
                .anyMatch(p -> p.startsWith("well-behaved clients: 100 errors in 6000 sessions"));
        write(bad, soak("soak-cluster-node-0", 0, cleanLog(), 181, 0));
        ResultsCheck.Outcome outcome = ResultsCheck.checkAll(out, List.of(), List.of("soak"));
        assertThat(outcome.failed()).isEqualTo(1);
        assertThat(outcome.problems()).hasSize(5).allMatch(p -> p.startsWith("soak/sockeye-server/1 #0: "));
        assertThat(Files.readString(out.resolve("results.md"))).contains("**Verdict: fails**", "| **grows** |");
    }

    @Test
    void aServerNotBackToItsBaselineAfterTheClientsLeftIsNamedForEachValue() {
        Results.SoakSample baseline = sample(0, "baseline", 90, 14, 0, 0, NO_SOCKETS);
        assertThat(SoakJudge.notBack(baseline, sample(5, "settle", 92, 15, 0, 0, NO_SOCKETS)))
                .as("within the slack").isEmpty();
        assertThat(SoakJudge.notBack(baseline, sample(5, "settle", 93, 16, 1, 2, Map.of("slowloris", 3))))
                .containsExactly("fds 93 > baseline 90 + 2", "Java threads 16 > baseline 14 + 1",
                        "timer wheel 1 pending > idle 0", "2 sessions still open",
                        "3 client sockets still held {slowloris=3}");
        assertThat(SoakJudge.notBack(baseline, Results.SoakSample.failed(5, "settle", "IOException: refused")))
                .containsExactly("sample failed: IOException: refused");
    }

    @Test
    void aQuickRunReportsSlopesWithoutJudgingThem() {
        List<Results.SoakSeries> series = SoakJudge.series("soak-node", samples(1), 360, false);
        assertThat(series).extracting(Results.SoakSeries::verdict).containsOnly("not judged");
        assertThat(SoakJudge.problems(List.of(), series, List.of(), 0, 10)).isEmpty();
    }
}
