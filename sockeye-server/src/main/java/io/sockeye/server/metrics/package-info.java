/**
 * Observability of the standalone server: {@link io.sockeye.server.metrics.PrometheusMetrics} (the core's
 * metrics SPI on the Prometheus Java client, plus JVM, Netty memory and event-loop delay),
 * {@code GET /metrics} ({@link io.sockeye.server.metrics.MetricsEndpoint}), the {@code /healthz} and
 * {@code /readyz} probes ({@link io.sockeye.server.metrics.HealthEndpoint}, {@link io.sockeye.server.metrics.Readiness}),
 * an optional admin port ({@link io.sockeye.server.metrics.AdminServer}), all assembled by
 * {@link io.sockeye.server.metrics.Observability}. Every metric is described in {@code docs/operations.md}.
 */
package io.sockeye.server.metrics;
