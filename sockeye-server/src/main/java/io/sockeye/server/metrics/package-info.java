/**
 * Observability of the standalone server: {@link io.sockeye.server.metrics.PrometheusMetrics} (the core's
 * metrics SPI on the Prometheus Java client, plus JVM, Netty memory and event-loop delay),
 * {@code GET /metrics} ({@link io.sockeye.server.metrics.MetricsEndpoint}), the {@code /healthz} and
 * {@code /readyz} probes ({@link io.sockeye.server.metrics.HealthEndpoint}, {@link io.sockeye.server.metrics.Readiness}),
 * the optional metrics port ({@link io.sockeye.server.metrics.MetricsPortServer}), all assembled by
 * {@link io.sockeye.server.metrics.Observability}. Every metric is described in {@code docs/operations.md}.
 */
package io.sockeye.server.metrics;
