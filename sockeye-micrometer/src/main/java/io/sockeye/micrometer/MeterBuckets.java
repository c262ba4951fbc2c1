package io.sockeye.micrometer;

import java.time.Duration;

/** The histogram buckets of {@link MicrometerMetrics}, the same as the Prometheus implementation's. */
final class MeterBuckets {

    /** Fan-out: 1 to 100,000 local recipients. */
    static final double[] FANOUT = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000,
            25_000, 50_000, 100_000};

    /** Latency: 100 µs to 10 s. */
    static final Duration[] LATENCY = {Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private MeterBuckets() {
    }
}
