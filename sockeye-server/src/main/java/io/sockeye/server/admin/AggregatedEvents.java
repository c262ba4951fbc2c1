package io.sockeye.server.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counts of {@code rawConnection} / {@code rawDisconnection} (by reason) per wall-clock second, handed
 * out and cleared with each {@code server_stats}: the Admin UI adds up what it receives into its
 * charts, so a bucket must be sent exactly once. Bounded: at most {@link #MAX_BUCKETS} distinct
 * (second, type, reason) buckets are kept between two reads, later ones are dropped. Thread-safe.
 */
final class AggregatedEvents {

    static final int MAX_BUCKETS = 1_000;

    private record Key(long timestamp, String type, String subType) {
    }

    private final Map<Key, Long> counts = new LinkedHashMap<>();

    synchronized void add(long epochMillis, String type, String subType) {
        Key key = new Key(epochMillis - Math.floorMod(epochMillis, 1000L), Objects.requireNonNull(type), subType);
        if (counts.containsKey(key) || counts.size() < MAX_BUCKETS) {
            counts.merge(key, 1L, Long::sum);
        }
    }

    /** The buckets since the last call, as {@code {timestamp, type, subType?, count}} maps; clears them. */
    synchronized List<Map<String, Object>> drain() {
        List<Map<String, Object>> out = new ArrayList<>(counts.size());
        counts.forEach((key, count) -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("timestamp", key.timestamp());
            event.put("type", key.type());
            if (key.subType() != null) {
                event.put("subType", key.subType());
            }
            event.put("count", count);
            out.add(event);
        });
        counts.clear();
        return out;
    }
}
