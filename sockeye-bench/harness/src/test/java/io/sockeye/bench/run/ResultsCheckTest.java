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

/** The report and the smoke test's judge, on a small made-up results document. */
class ResultsCheckTest {

    @TempDir
    Path out;

    private static final List<String> PEERS = List.of("sockeye", "node");
    private static final List<String> SCENARIOS = List.of("idle", "fanout", "echo", "storm", "cluster");

    private static Results.Latency latency(double p99) {
        return new Results.Latency(1000, p99 / 3, p99 / 2, p99, p99 * 1.5, p99 * 2);
    }

    private static Results.Connect connect(int n) {
        return new Results.Connect(n, n, 0, Map.of(), 100, 90, latency(5));
    }

    private static Results.Fanout fanout(int n, double scale) {
        return fanout(n, scale, 140.0);
    }

    /** {@code wireBytes}: bytes on the wire per delivery in every step (null: not measured). */
    private static Results.Fanout fanout(int n, double scale, Double wireBytes) {
        List<Results.FanoutStep> steps = new ArrayList<>();
        double rate = 4000;
        for (int i = 0; i < 3; i++, rate *= 3) {
            boolean ok = i < 2;
            steps.add(new Results.FanoutStep(rate, rate / n, 10, 10L * n, 10L * n, 1.0, rate * scale,
                    latency(ok ? 2 + i : 150), latency(1), latency(ok ? 2 + i : 150), 300, 400, rate * 2, false, ok, ok ? "sustained" : "p99 150 ms > 100 ms",
                    wireBytes == null ? 0 : (long) (wireBytes * 10 * n), wireBytes));
        }
        return FanoutScenario.summarize(n, 1, connect(n), steps);
    }

    private List<Results.Run> runs(String nodeStatus) {
        List<Results.Run> runs = new ArrayList<>();
        for (String peer : PEERS) {
            boolean sockeye = peer.equals("sockeye");
            if (!sockeye && !nodeStatus.equals("ok")) {
                for (String s : List.of("idle", "fanout", "echo", "storm")) {
                    runs.add(new Results.Run(s, peer, 100, 0, nodeStatus, "node is not installed", 0, null));
                }
                continue;
            }
            runs.add(new Results.Run("idle", peer, 100, 0, "ok", null, 3,
                    new Results.Idle(100, connect(100), 100, 1_000_000, 1_100_000, sockeye ? 1_200_000 : 1_900_000,
                            sockeye ? 2000 : 9000, sockeye ? 2000 : 9000, 50_000_000, 51_000_000, 52_000_000, 20_000,
                            9000, 2, 10, 0.5, 5)));
            runs.add(new Results.Run("fanout", peer, 100, 0, "ok", null, 5, fanout(100, sockeye ? 1 : 0.5)));
            runs.add(new Results.Run("echo", peer, 50, 0, "ok", null, 3,
                    new Results.Echo(50, connect(50), 30_000, 2, 15_000, latency(4), 900, 1000, 33_000)));
            runs.add(new Results.Run("storm", peer, 500, 0, "ok", null, 3,
                    new Results.Storm(500, connect(500), 5000, 90, 300, 400,
                            new Results.StormRound(connect(500), sockeye ? 8000 : 4000, 60, 200, 300))));
        }
        runs.add(new Results.Run("cluster", "sockeye-cluster-3", 100, 0, "ok", null, 6, fanout(100, 0.8)));
        return runs;
    }

    private JsonNode write(List<Results.Run> runs) throws Exception {
        return write(runs, new Results.Floor(100, 160, 20, 40, latency(4), latency(6)));
    }

    private JsonNode write(List<Results.Run> runs, Object floor) throws Exception {
        return ResultsDocs.write(out, "quick", Plan.quick(), PEERS,
                Map.of("cpus", 2, "pinning", "servers on CPU 0, generators on CPU 1", "loopbackFloor", floor), runs);
    }

    @Test
    void completeResultsPassAndProduceTablesRatiosAndPlots() throws Exception {
        write(runs("ok"));
        ResultsCheck.Outcome outcome = ResultsCheck.checkAll(out, PEERS, SCENARIOS);
        assertThat(outcome.problems()).isEmpty();
        assertThat(outcome.passed()).isEqualTo(9);
        assertThat(outcome.failed()).isZero();
        String md = Files.readString(out.resolve("results.md"));
        assertThat(md).contains("## Idle hold: 100 connections", "## Fan-out to one room: 100 subscribers",
                "## Echo with acks", "## Connection storm", "## Cluster fan-out over Redis", "### Steps: sockeye");
        // heap per connection 2000 B vs 9000 B: Sockeye 4.5 times better; fan-out 36k vs 18k: 2 times.
        assertThat(md).contains("| heap / connection (lower is better) | 4.50× |");
        assertThat(md).contains("| max sustainable delivered msgs/s (higher is better) | 2.00× |");
        assertThat(out.resolve("fanout-100.png")).exists();
        assertThat(out.resolve("memory-per-connection.png")).exists();
        assertThat(md).contains("- loopback floor (the kernel alone, no server: one 160-byte write to each of 100 loopback sockets, "
                + "20 bursts/s, 40 bursts): recipient p50 1.33 ms, p99 4.00 ms; last recipient of a burst p50 2.00 ms, p99 6.00 ms");
        assertThat(md).contains("| first recipient p50 | last recipient p50 | last recipient p99 |");
        assertThat(md).contains("| handshakes/s, storm again (JIT warm) (higher is better) | 2.00× |");
    }

    @Test
    void aFailedOrMissingLoopbackFloorIsReported() throws Exception {
        write(runs("ok"), Map.of("error", "java.net.SocketException: Too many open files"));
        assertThat(ResultsCheck.check(out, PEERS, SCENARIOS))
                .containsExactly("loopback floor: failed: java.net.SocketException: Too many open files");
        write(runs("ok"), Map.of());
        assertThat(ResultsCheck.check(out, PEERS, SCENARIOS)).contains("loopback floor: nothing measured");
    }

    @Test
    void skippedPeersWithAReasonPass() throws Exception {
        write(runs("skipped"));
        assertThat(ResultsCheck.check(out, PEERS, SCENARIOS)).isEmpty();
    }

    @Test
    void failedRunsAndMissingScenariosAreReported() throws Exception {
        List<Results.Run> runs = runs("failed");
        runs.removeIf(r -> r.scenario().equals("cluster"));
        write(runs);
        ResultsCheck.Outcome outcome = ResultsCheck.checkAll(out, PEERS, SCENARIOS);
        List<String> problems = outcome.problems();
        assertThat(outcome.failed()).isEqualTo(5); // four node runs, and no cluster run
        assertThat(problems).anyMatch(p -> p.startsWith("idle/node/100 #0: failed"));
        assertThat(problems).anyMatch(p -> p.startsWith("cluster/sockeye-cluster-: no run recorded"));
    }

    @Test
    void partlyConnectedRunsAndMissingPlotsAreReported() throws Exception {
        List<Results.Run> runs = runs("ok");
        runs.set(0, new Results.Run("idle", "sockeye", 100, 0, "ok", null, 3, new Results.Idle(100,
                new Results.Connect(100, 90, 10, Map.of("connect timeout", 10), 100, 90, latency(5)), 90,
                1, 2, 3, 1, 1, 1, 2, 3, 1, 1, 2, 1, 0.1, 1)));
        write(runs);
        Files.delete(out.resolve("fanout-100.png"));
        List<String> problems = ResultsCheck.check(out, PEERS, SCENARIOS);
        assertThat(problems).anyMatch(p -> p.contains("90 of 100 connections ready"));
        assertThat(problems).anyMatch(p -> p.startsWith("fanout-100.png"));
    }

    private static Results.AckedWindow ackedWindow(int window, long delivered) {
        return new Results.AckedWindow(window, 20, 1000, delivered, 0.5, delivered / 0.5, latency(3), 10, 20,
                10.0, 20.0, 30.0);
    }

    @Test
    void ackedFanoutRunsNeedBothWindowsFullyDeliveredAndAreSummarisedPerDelivery() throws Exception {
        List<Results.Run> runs = runs("ok");
        runs.add(new Results.Run("acked", "sockeye", 50, 0, "ok", null, 2, new Results.AckedFanout(50, 20, connect(50),
                List.of(ackedWindow(1, 1000), ackedWindow(20, 1000)))));
        runs.add(new Results.Run("acked", "node", 50, 0, "ok", null, 2, new Results.AckedFanout(50, 20, connect(50),
                List.of(ackedWindow(1, 990)))));
        write(runs);
        List<String> scenarios = new ArrayList<>(SCENARIOS);
        scenarios.add("acked");

        List<String> problems = ResultsCheck.check(out, PEERS, scenarios);

        assertThat(problems).containsExactlyInAnyOrder("acked/node/50 #0: 1 windows measured, expected 2",
                "acked/node/50 #0 window 1: 990 of 1000 delivered");
        assertThat(Files.readString(out.resolve("results.md"))).contains("user CPU µs / delivery, ack awaited");
    }

    @Test
    void aMsgpackPeersFanoutMustShowFewerBytesOnTheWirePerDeliveryThanItsJsonSibling() throws Exception {
        List<String> peers = List.of("sockeye", "sockeye-msgpack");
        Map<String, Object> machine = Map.of("cpus", 2, "loopbackFloor", new Results.Floor(100, 160, 20, 40, latency(4), latency(6)));
        ResultsDocs.write(out, "quick", Plan.quick(), peers, machine, List.of(
                new Results.Run("fanout", "sockeye", 100, 0, "ok", null, 5, fanout(100, 1, 141.0)),
                new Results.Run("fanout", "sockeye-msgpack", 100, 0, "ok", null, 5, fanout(100, 1, 133.0))));
        assertThat(ResultsCheck.check(out, peers, List.of("fanout"))).isEmpty();
        assertThat(Files.readString(out.resolve("results.md")))
                .contains("| bytes on the wire / delivery (lower is better) | 0.94× |", "| wire bytes / delivery | verdict |");

        ResultsDocs.write(out, "quick", Plan.quick(), peers, machine, List.of(
                new Results.Run("fanout", "sockeye", 100, 0, "ok", null, 5, fanout(100, 1, 141.0)),
                new Results.Run("fanout", "sockeye-msgpack", 100, 0, "ok", null, 5, fanout(100, 1, 141.0))));
        assertThat(ResultsCheck.check(out, peers, List.of("fanout"))).containsExactly(
                "fanout/sockeye-msgpack/100 #0: 141.0 bytes on the wire per delivery, not fewer than sockeye's 141.0");

        ResultsDocs.write(out, "quick", Plan.quick(), peers, machine, List.of(
                new Results.Run("fanout", "sockeye", 100, 0, "ok", null, 5, fanout(100, 1, 141.0)),
                new Results.Run("fanout", "sockeye-msgpack", 100, 0, "ok", null, 5, fanout(100, 1, null))));
        assertThat(ResultsCheck.check(out, peers, List.of("fanout")))
                .contains("fanout/sockeye-msgpack/100 #0 step: no bytes on the wire per delivery (null)");
    }

    private static SseScenario.Transport sseTransport(String transport, long delivered, long protocolErrors) {
        Results.FanoutStep step = new Results.FanoutStep(1000, 20, 14, 700, delivered, 1.0, delivered, latency(5),
                latency(1), latency(5), 70, 80, delivered / 0.07, false, true, "sustained", delivered * 300, 300.0);
        return new SseScenario.Transport(transport, connect(50), List.of(step), protocolErrors);
    }

    @Test
    void sseRunsNeedEveryMessageDeliveredOnBothTransportsAndAreTabledPerTransport() throws Exception {
        List<Results.Run> runs = runs("ok");
        runs.add(new Results.Run("sse", SseScenario.PEER, 50, 0, "ok", null, 15, new SseScenario.Result(50,
                List.of(sseTransport("sse", 700, 2), sseTransport("websocket", 699, 0)))));
        write(runs);
        List<String> scenarios = new ArrayList<>(SCENARIOS);
        scenarios.add("sse");

        List<String> problems = ResultsCheck.check(out, PEERS, scenarios);

        assertThat(problems).containsExactly("sse/sockeye-sse/50 #0: sse: 2 protocol errors",
                "sse/sockeye-sse/50 #0: websocket at 20.0/s: 699 of 700 delivered");
        assertThat(Files.readString(out.resolve("results.md"))).contains("## SSE against WebSocket: one room, 50 subscribers",
                "| sse | 20 | 700 | 1.67 ms | 5.00 ms | 100.00 | 300 | 700 / 700 |");
    }

    @Test
    void maxSustainableIsTheBestSustainedStepAndHalfIsTheNearestToHalfOfIt() {
        Results.Fanout f = fanout(100, 1);
        assertThat(f.maxSustainableDeliveredPerS()).isEqualTo(12_000);
        assertThat(f.halfMaxStepDeliveredPerS()).isEqualTo(4_000);
        assertThat(f.p99AtHalfMaxMs()).isEqualTo(2);
    }
}
