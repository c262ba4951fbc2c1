/**
 * Abuse limits of the standalone server and their counters: {@link io.sockeye.server.limits.LimitsSettings}
 * (documented defaults), token buckets driven by an injected clock, the handshake rate limiter (HTTP
 * 503) and {@link io.sockeye.server.limits.Stats}, where every rejection is counted.
 */
package io.sockeye.server.limits;
