/**
 * The metrics SPI: {@link io.sockeye.core.metrics.SockeyeMetrics} receives what the server observes
 * (sessions, packets, broadcasts, acks, cluster traffic) and defaults to a no-op that costs nothing;
 * plug in an implementation with {@code ServerOptions.builder().metrics(...)}. The standalone server's
 * Prometheus implementation lives in {@code io.sockeye.server.metrics}.
 */
package io.sockeye.core.metrics;
