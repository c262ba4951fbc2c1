package io.sockeye.adapter.redis;

/**
 * Which channels a node of the sharded adapter subscribes to, as {@code @socket.io/redis-adapter}'s
 * {@code subscriptionMode} option (see docs/protocol-notes.md, "Cluster messages"). Use the same mode
 * on every node of a cluster.
 */
public enum SubscriptionMode {

    /** Two channels per namespace: {@code <prefix>#<nsp>#} and this node's response channel. */
    STATIC,

    /**
     * Also one channel per public room, {@code <prefix>#<nsp>#<room>#}, subscribed while the room has a
     * member on this node: a broadcast to one room reaches only the nodes that have members in it.
     * Rooms that are socket ids (20 characters) stay on the main channel. The default.
     */
    DYNAMIC,

    /** Like {@link #DYNAMIC}, but socket-id rooms get their own channel too. */
    DYNAMIC_PRIVATE
}
