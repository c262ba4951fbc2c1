/**
 * Sockeye's metrics on Micrometer: {@link io.sockeye.micrometer.MicrometerMetrics} is a
 * {@link io.sockeye.core.metrics.SockeyeMetrics} that registers every metric of the operations guide on a
 * {@code MeterRegistry}, named by Micrometer's conventions ({@code sockeye.engine.connections}, which a
 * Prometheus registry exports as {@code sockeye_engine_connections}). The Spring Boot starter uses it
 * when Actuator is present; any embedder can use it alone.
 */
package io.sockeye.micrometer;
