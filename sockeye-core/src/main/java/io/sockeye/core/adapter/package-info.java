/**
 * The adapter SPI: rooms and broadcasting of a namespace, on one node ({@link io.sockeye.core.adapter.InMemoryAdapter},
 * the default) or across a cluster ({@link io.sockeye.core.adapter.ClusterAdapter}, whose backends only move
 * {@link io.sockeye.core.adapter.ClusterMessage}s; {@link io.sockeye.core.adapter.InProcessBus} is the in-JVM one).
 * The Socket.IO layer implements {@link io.sockeye.core.adapter.NamespaceContext} and
 * {@link io.sockeye.core.adapter.LocalSocket}, and receives each broadcast as a
 * {@link io.sockeye.core.adapter.BroadcastPacket} per event loop; backends prove themselves with the
 * test-jar's {@code AdapterConformanceKit}, and report their bus connection through
 * {@link io.sockeye.core.adapter.ClusterBusStatus}.
 *
 * <p>The adapter-support API is what a backend may use beyond the base classes:
 * {@link io.sockeye.core.adapter.PendingRequest} (a request awaiting other nodes' responses, by node or
 * by count, with its timeout), {@link io.sockeye.core.adapter.BroadcastAckCollector} (the replies of a
 * broadcast with acks across nodes). What is not public here — the per-event-loop fan-out, the room
 * member sets, node tracking by heartbeat, the shared adapter timer — stays package-private.
 */
package io.sockeye.core.adapter;
