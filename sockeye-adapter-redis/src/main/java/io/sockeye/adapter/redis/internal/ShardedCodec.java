package io.sockeye.adapter.redis.internal;

import io.sockeye.adapter.redis.SubscriptionMode;
import io.sockeye.cluster.codec.ClusterMessageCodec;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;

/**
 * The channels of {@code @socket.io/redis-adapter} 8.3's sharded adapter for one namespace (see
 * docs/protocol-notes.md, "Cluster messages"): messages are socket.io's {@code ClusterMessage}s as the
 * shared {@link ClusterMessageCodec} writes them, published with {@code SPUBLISH} on
 * {@code <prefix>#<nsp>#}, {@code <prefix>#<nsp>#<uid>#} (responses to one node) and, in the dynamic
 * modes, {@code <prefix>#<nsp>#<room>#} (broadcasts to one room).
 */
public final class ShardedCodec {

    /** socket.io socket ids are 20 characters; the dynamic mode keeps them on the main channel. */
    private static final int SOCKET_ID_LENGTH = 20;

    private final String mainChannel;
    private final SubscriptionMode mode;
    private final ClusterMessageCodec codec;

    public ShardedCodec(String channelPrefix, String nsp, SubscriptionMode mode, ClusterMessageCodec codec) {
        this.mainChannel = channelPrefix + "#" + nsp + "#";
        this.mode = mode;
        this.codec = codec;
    }

    public String mainChannel() {
        return mainChannel;
    }

    /** The channel on which node {@code uid} receives responses. */
    public String responseChannel(String uid) {
        return mainChannel + uid + "#";
    }

    public String roomChannel(String room) {
        return mainChannel + room + "#";
    }

    public Outgoing encode(ClusterMessage message) {
        return new Outgoing(channelOf(message), codec.encode(message));
    }

    public Outgoing encodeResponse(String requesterUid, ClusterMessage response) {
        return new Outgoing(responseChannel(requesterUid), codec.encode(response));
    }

    /**
     * A received message; null when it is of a type this version does not know. Messages of other
     * namespaces and this node's own are left to the core to drop.
     *
     * @throws io.sockeye.cluster.codec.ClusterCodecException on malformed input
     */
    public ClusterMessage decode(byte[] payload) {
        return codec.decode(payload);
    }

    /**
     * sharded-adapter's computeChannel: a broadcast without acks to exactly one room goes to that
     * room's channel in the dynamic modes ("dynamic" keeps rooms that look like socket ids on the main
     * channel); broadcasts with acks never do, since the server count covers every node.
     */
    private String channelOf(ClusterMessage message) {
        if (message.data() instanceof Broadcast broadcast && broadcast.requestId() == null
                && broadcast.opts().rooms().size() == 1) {
            String room = broadcast.opts().rooms().iterator().next();
            if ((mode == SubscriptionMode.DYNAMIC && room.length() != SOCKET_ID_LENGTH)
                    || mode == SubscriptionMode.DYNAMIC_PRIVATE) {
                return roomChannel(room);
            }
        }
        return mainChannel;
    }
}
