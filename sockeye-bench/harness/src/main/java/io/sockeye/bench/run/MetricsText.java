package io.sockeye.bench.run;

import java.util.LinkedHashMap;
import java.util.Map;

/** The Prometheus text format, read just enough: one value per {@code name{labels}} as printed. */
final class MetricsText {

    private final Map<String, Double> values;

    private MetricsText(Map<String, Double> values) {
        this.values = values;
    }

    static MetricsText parse(String text) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            try {
                values.put(line.substring(0, space).strip(), Double.parseDouble(line.substring(space + 1)));
            } catch (NumberFormatException e) {
                // a line with a timestamp or an HTTP header: not a sample we read
            }
        }
        return new MetricsText(values);
    }

    /** The sample named exactly {@code key} (labels included as printed), or {@code dflt}. */
    double value(String key, double dflt) {
        return values.getOrDefault(key, dflt);
    }

    /** The sum of the samples whose key starts with {@code prefix} and contains {@code label}; -1 if none. */
    double sum(String prefix, String label) {
        double sum = 0;
        boolean any = false;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getKey().contains(label)) {
                sum += e.getValue();
                any = true;
            }
        }
        return any ? sum : -1;
    }
}
