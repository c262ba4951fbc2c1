package io.sockeye.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gauges of a cluster bus's durable streams (the Redis Streams adapter's, whose recovery history is the
 * stream): {@code sockeye.cluster.stream.length} and {@code sockeye.cluster.stream.memory} (bytes), tag
 * {@code stream}, exported to Prometheus as {@code sockeye_cluster_stream_length} and
 * {@code sockeye_cluster_stream_memory_bytes}. A stream not sampled yet reads {@code NaN}.
 *
 * <pre>{@code
 * StreamMeters.bind(registry, redis.streams(), redis::streamLengths, redis::streamMemory);
 * }</pre>
 */
public final class StreamMeters {

    private StreamMeters() {
    }

    /**
     * Registers both gauges for each of {@code streams}, read from {@code lengths} and {@code memory} when
     * collected; both must answer at once (the factory's sampled values do).
     */
    public static void bind(MeterRegistry registry, Collection<String> streams, Supplier<Map<String, Long>> lengths,
                            Supplier<Map<String, Long>> memory) {
        for (String stream : streams) {
            Tags tags = Tags.of("stream", stream);
            Gauge.builder("sockeye.cluster.stream.length", () -> value(lengths, stream)).tags(tags)
                    .description("Entries the stream holds (XLEN), as last sampled").register(registry);
            Gauge.builder("sockeye.cluster.stream.memory", () -> value(memory, stream)).tags(tags).baseUnit("bytes")
                    .description("Memory the stream takes in Redis (MEMORY USAGE), as last sampled").register(registry);
        }
    }

    private static double value(Supplier<Map<String, Long>> values, String stream) {
        Long value = values.get().get(stream);
        return value == null ? Double.NaN : value;
    }
}
