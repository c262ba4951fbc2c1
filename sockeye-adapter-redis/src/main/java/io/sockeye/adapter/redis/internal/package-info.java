/**
 * Internals of the Redis adapters: the Lettuce connections ({@link io.sockeye.adapter.redis.internal.RedisBus}),
 * the two wire formats of {@code @socket.io/redis-adapter} 8.3 (classic and sharded codecs) and the
 * notepack-compatible msgpack and {@code JSON.stringify}-compatible JSON writers they share. Not API.
 */
package io.sockeye.adapter.redis.internal;
