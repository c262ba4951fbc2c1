/**
 * The standalone server's cluster bus: {@link io.sockeye.server.cluster.ClusterBus} opens the Redis or NATS
 * connection that {@code redis_url} / {@code nats_url} ask for, hands its adapter factory to the Socket.IO
 * server and reports its state; it owns those live connections until shutdown.
 */
package io.sockeye.server.cluster;
