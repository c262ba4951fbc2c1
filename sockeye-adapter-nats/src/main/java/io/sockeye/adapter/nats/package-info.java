/**
 * The NATS cluster adapter: many Sockeye nodes behave as one over a NATS server (or cluster).
 * Start from {@link io.sockeye.adapter.nats.NatsAdapterFactory} and {@link io.sockeye.adapter.nats.NatsAdapterOptions};
 * the backend only moves bytes, everything else is the core's {@code ClusterAdapter}. See docs/clustering.md, "NATS".
 */
package io.sockeye.adapter.nats;
