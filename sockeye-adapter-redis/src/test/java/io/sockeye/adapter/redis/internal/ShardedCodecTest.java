package io.sockeye.adapter.redis.internal;

import io.sockeye.adapter.redis.SubscriptionMode;
import io.sockeye.cluster.codec.ClusterMessageCodec;
import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterPayload;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The channels of the sharded redis-adapter format (the bytes are the shared codec's, tested with it):
 * which channel each message goes to, per subscription mode.
 */
class ShardedCodecTest {

    private static final String UID = "fa4dd493d59b8d51";
    private static final ClusterMessageCodec MESSAGES = new ClusterMessageCodec();
    private final ShardedCodec dynamic = new ShardedCodec("socket.io", "/", SubscriptionMode.DYNAMIC, MESSAGES);

    private static ClusterMessage broadcast(BroadcastOptions opts, String requestId, Object... args) {
        return new ClusterMessage(UID, "/", new Broadcast(SocketPacket.event("/", List.of(args)), opts, requestId));
    }

    @Test
    void sendsABroadcastToAllOnTheMainChannelAndToOneRoomOnTheRoomsChannel() {
        assertThat(dynamic.encode(broadcast(BroadcastOptions.ALL, null, "hello")).channel()).isEqualTo("socket.io#/#");
        Outgoing toRoom = dynamic.encode(broadcast(BroadcastOptions.to(Set.of("room1")), null, "bin", new byte[]{1, 2, 3}));

        assertThat(toRoom.channel()).isEqualTo("socket.io#/#room1#");
        assertThat(toRoom.payload()).isEqualTo(MESSAGES.encode(broadcast(BroadcastOptions.to(Set.of("room1")), null,
                "bin", new byte[]{1, 2, 3})));
    }

    @Test
    void keepsSocketIdRoomsAcksAndStaticModeOnTheMainChannel() {
        String socketId = "abcdefghij0123456789";
        ShardedCodec fixed = new ShardedCodec("socket.io", "/", SubscriptionMode.STATIC, MESSAGES);
        ShardedCodec everyRoom = new ShardedCodec("socket.io", "/", SubscriptionMode.DYNAMIC_PRIVATE, MESSAGES);
        BroadcastOptions withTimeout = BroadcastOptions.to(Set.of("r1")).withFlags(BroadcastFlags.NONE.withTimeout(Duration.ofMillis(100)));

        assertThat(dynamic.encode(broadcast(BroadcastOptions.to(Set.of(socketId)), null, "x")).channel()).isEqualTo("socket.io#/#");
        assertThat(everyRoom.encode(broadcast(BroadcastOptions.to(Set.of(socketId)), null, "x")).channel())
                .isEqualTo("socket.io#/#" + socketId + "#");
        assertThat(fixed.encode(broadcast(BroadcastOptions.to(Set.of("r1")), null, "x")).channel()).isEqualTo("socket.io#/#");
        assertThat(dynamic.encode(broadcast(withTimeout, "5b9e69481cc09e77", "q", 1)).channel()).isEqualTo("socket.io#/#");
    }

    @Test
    void sendsResponsesOnTheRequestersChannel() {
        Outgoing response = dynamic.encodeResponse("0123456789abcdef",
                new ClusterMessage(UID, "/", new ClusterPayload.ServerSideEmitResponse("rq", new byte[]{1})));

        assertThat(response.channel()).isEqualTo("socket.io#/#0123456789abcdef#");
        assertThat(dynamic.decode(response.payload()).data()).isInstanceOf(ClusterPayload.ServerSideEmitResponse.class);
    }
}
