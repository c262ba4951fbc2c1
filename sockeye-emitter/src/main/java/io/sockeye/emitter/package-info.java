/**
 * Emitting to the clients of a Sockeye cluster from any Java program, without running a server:
 * {@link io.sockeye.emitter.SockeyeEmitter}, over the Redis adapter's classic wire (as
 * {@code @socket.io/redis-emitter}) or the NATS adapter's. Needs {@code lettuce-core} or {@code jnats} on the
 * class path, whichever bus the cluster uses.
 */
package io.sockeye.emitter;
