/**
 * Internals of the Redis adapters: the Lettuce connections ({@link io.sockeye.adapter.redis.internal.RedisBus})
 * and the channels and messages of the two formats of {@code @socket.io/redis-adapter} 8.3: the classic one
 * ({@link io.sockeye.adapter.redis.internal.ClassicCodec}, Redis-only) and the sharded one, whose messages the
 * shared {@code io.sockeye.cluster.codec} writes; and the stream reading of the streams adapter
 * ({@link io.sockeye.adapter.redis.internal.StreamReader}). Not API.
 */
package io.sockeye.adapter.redis.internal;
