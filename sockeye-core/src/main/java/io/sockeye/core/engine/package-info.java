/**
 * Engine.IO, the layer under Socket.IO: sessions with a server-driven heartbeat, long-polling and
 * WebSocket transports and the upgrade between them. The public part is the bare Engine.IO API —
 * {@link io.sockeye.core.engine.EngineIo} makes an endpoint whose sessions are
 * {@link io.sockeye.core.engine.EngineSocket}s reporting to an {@link io.sockeye.core.engine.EngineListener},
 * with timeouts on the shared {@link io.sockeye.core.engine.EngineTimer} — which the Socket.IO layer
 * builds on and which the conformance server's Engine.IO echo uses directly. The session state machine
 * and the transports are package-private; transports reach them through {@code io.sockeye.core.spi.transport}.
 */
package io.sockeye.core.engine;
