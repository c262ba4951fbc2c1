package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a made-up results directory as the runner does: results.json, then results.md and the plots from it. */
final class ResultsDocs {

    private ResultsDocs() {
    }

    static JsonNode write(Path out, String mode, Plan plan, List<String> peerIds, Map<String, Object> machine,
                          List<Results.Run> runs) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", 1);
        doc.put("mode", mode);
        doc.put("startedAt", "2025-01-01T00:00:00Z");
        doc.put("durationS", 60);
        doc.put("machine", machine);
        doc.put("plan", plan);
        List<Map<String, Object>> peers = new ArrayList<>();
        for (String p : peerIds) {
            peers.add(Map.of("id", p, "label", p, "available", true));
        }
        doc.put("peers", peers);
        doc.put("runs", runs);
        BenchMain.JSON.writeValue(out.resolve("results.json").toFile(), doc);
        JsonNode tree = BenchMain.JSON.readTree(out.resolve("results.json").toFile());
        Files.writeString(out.resolve("results.md"), Report.markdown(tree));
        ReportPlots.plots(tree, out);
        return tree;
    }
}
