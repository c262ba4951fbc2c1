/**
 * Internals of the NATS adapter that users must not touch. {@link io.sockeye.adapter.nats.internal.ClusterMessageCodec}
 * (with its helpers) turns cluster messages into socket.io's {@code ClusterAdapter} wire format and back; it has no
 * NATS dependency, so it can move to a shared module once another backend needs it.
 */
package io.sockeye.adapter.nats.internal;
