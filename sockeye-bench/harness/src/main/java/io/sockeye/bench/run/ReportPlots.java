package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The PNG plots of a results document, next to its results.md. */
final class ReportPlots {

    private ReportPlots() {
    }

    /** The fan-out latency plots and the memory-per-connection bars (the soak draws its own). */
    static void plots(JsonNode doc, Path out) throws IOException {
        SoakReport.plots(doc, out);
        List<String> peers = Report.peerIds(doc);
        for (int size : Report.sizes(doc, "fanout")) {
            List<Charts.Series> series = new ArrayList<>();
            List<String> rows = new ArrayList<>(peers);
            if (Report.sizes(doc, "cluster").contains(size)) {
                rows.addAll(Report.clusterRows(doc));
            }
            for (String peer : rows) {
                JsonNode run = Report.firstOk(doc, peer.startsWith("sockeye-cluster") ? "cluster" : "fanout", size, peer);
                if (run == null) {
                    continue;
                }
                List<double[]> points = new ArrayList<>();
                for (JsonNode s : run.path("result").path("steps")) {
                    points.add(new double[]{s.path("deliveredPerS").asDouble(), s.path("latency").path("p99Ms").asDouble()});
                }
                series.add(new Charts.Series(peer, points));
            }
            Charts.lines(out.resolve("fanout-" + size + ".png"),
                    String.format("Fan-out to %,d subscribers: p99 delivery latency vs throughput", size),
                    "delivered messages/s", "p99 latency (ms)", true, true, series,
                    Plan.p99LimitFor(doc.path("plan").path("p99LimitMs").asDouble(100), size), "p99 limit");
        }
        List<Integer> idle = Report.sizes(doc, "idle");
        if (!idle.isEmpty()) {
            int size = idle.get(idle.size() - 1);
            List<String> cats = new ArrayList<>();
            List<double[]> rows = new ArrayList<>();
            for (String peer : peers) {
                Double heap = Report.median(Report.values(doc, "idle", size, peer, "/heapPerConnectionBytes"));
                Double rss = Report.median(Report.values(doc, "idle", size, peer, "/rssPerConnectionBytes"));
                if (heap == null && rss == null) {
                    continue;
                }
                cats.add(peer);
                rows.add(new double[]{heap == null ? Double.NaN : heap / 1024, rss == null ? Double.NaN : rss / 1024});
            }
            Charts.bars(out.resolve("memory-per-connection.png"),
                    String.format("Memory per idle connection (%,d connections)", size), "KiB per connection", cats,
                    List.of("heap after GC", "process RSS"), rows.toArray(new double[0][]));
        }
    }
}
