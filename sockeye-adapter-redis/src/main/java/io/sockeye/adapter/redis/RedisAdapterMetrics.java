package io.sockeye.adapter.redis;

/**
 * Counters of one {@link RedisAdapterFactory} (one node), over all its namespaces, since it was
 * created. A snapshot; take another to see changes.
 *
 * @param publishes       messages Redis accepted from this node (broadcasts, requests, responses)
 * @param receives        messages received from Redis (this node's own included, as Redis echoes them)
 * @param requestTimeouts cluster requests (fetchSockets, serverSideEmitWithAck, broadcast with acks,
 *                        allRooms) that ended with {@link io.sockeye.core.adapter.AdapterTimeoutException}
 * @param errors          publishes and subscriptions that failed (Redis unreachable, queue full) and
 *                        received messages that could not be decoded
 * @param reconnects      times a lost connection to Redis was re-established
 * @param connected       whether both connections (publish and subscribe) are up right now
 */
public record RedisAdapterMetrics(long publishes, long receives, long requestTimeouts, long errors,
                                  long reconnects, boolean connected) {
}
