/**
 * Redis cluster adapters for Sockeye, wire-compatible with {@code @socket.io/redis-adapter} 8.3:
 * {@link io.sockeye.adapter.redis.RedisAdapterFactory#classic} (pub/sub, shared with Node.js socket.io
 * servers) and {@link io.sockeye.adapter.redis.RedisAdapterFactory#sharded} (Redis 7 sharded pub/sub);
 * and {@link io.sockeye.adapter.redis.RedisStreamsAdapterFactory}, wire-compatible with
 * {@code @socket.io/redis-streams-adapter} 0.3 (a Redis stream plus pub/sub). See {@code docs/clustering.md}.
 */
package io.sockeye.adapter.redis;
