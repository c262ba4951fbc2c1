package io.sockeye.adapter.nats;

/** Which subjects a node subscribes to (socket.io's sharded adapter has the same two modes). */
public enum SubscriptionMode {

    /**
     * Two subjects per namespace ({@code all} and this node's response subject): every node receives
     * every broadcast and keeps those with local recipients. Simple; the default.
     */
    STATIC,

    /**
     * Also one subject per room with local members, subscribed when the room is created on this node and
     * unsubscribed when it is deleted (a socket's own room excluded). A broadcast to a single room is
     * published on that room's subject, so a node receives only the rooms it has members in. Broadcasts
     * to several rooms, to everyone or with acks still use {@code all}.
     *
     * <p>Trade-off: a socket that just joined a room misses the broadcasts other nodes publish to it
     * before the new subscription reached the NATS server (one round trip), as with socket.io's dynamic
     * mode. Use it when rooms are many and each lives on few nodes.
     */
    DYNAMIC
}
