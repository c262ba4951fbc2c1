/**
 * The adapter SPI: rooms and broadcasting of a namespace, on one node ({@link io.sockeye.core.adapter.InMemoryAdapter},
 * the default) or across a cluster ({@link io.sockeye.core.adapter.ClusterAdapter}, whose backends only move
 * {@link io.sockeye.core.adapter.ClusterMessage}s; {@link io.sockeye.core.adapter.InProcessBus} is the in-JVM one).
 * The Socket.IO layer implements {@link io.sockeye.core.adapter.NamespaceContext} and
 * {@link io.sockeye.core.adapter.LocalSocket}; backends prove themselves with the test-jar's
 * {@code AdapterConformanceKit}, and report their bus connection through
 * {@link io.sockeye.core.adapter.ClusterBusStatus}.
 */
package io.sockeye.core.adapter;
