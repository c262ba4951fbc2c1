/**
 * Internals of the adapters: per-event-loop fan-out, cluster request bookkeeping, node tracking by
 * heartbeat, broadcast-ack collection and the shared timer. Not API.
 */
package io.sockeye.core.internal.adapter;
