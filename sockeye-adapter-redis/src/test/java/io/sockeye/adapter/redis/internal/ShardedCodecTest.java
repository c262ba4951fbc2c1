package io.sockeye.adapter.redis.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.adapter.redis.SubscriptionMode;
import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterPayload;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The sharded redis-adapter format against PROTOCOL.md §4.2 captures (uid {@code fa4dd493d59b8d51}). */
class ShardedCodecTest {

    private static final String UID = "fa4dd493d59b8d51";
    private final ShardedCodec dynamic = new ShardedCodec("socket.io", "/", SubscriptionMode.DYNAMIC, new ObjectMapper());

    private static ClusterMessage broadcast(BroadcastOptions opts, String requestId, Object... args) {
        return new ClusterMessage(UID, "/", new Broadcast(SocketPacket.event("/", List.of(args)), opts, requestId));
    }

    private static String text(Outgoing out) {
        return new String(out.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void encodesABroadcastAsJsonLikeNode() {
        Outgoing out = dynamic.encode(broadcast(BroadcastOptions.ALL, null, "hello", "world"));

        assertThat(out.channel()).isEqualTo("socket.io#/#");
        assertThat(text(out)).isEqualTo("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"hello\",\"world\"]},"
                + "\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}}},\"uid\":\"fa4dd493d59b8d51\",\"nsp\":\"/\"}");
    }

    @Test
    void encodesABinaryOneRoomBroadcastAsMsgpackOnTheRoomChannel() {
        Outgoing out = dynamic.encode(broadcast(BroadcastOptions.to(Set.of("room1")), null, "bin", new byte[]{1, 2, 3}));

        assertThat(out.channel()).isEqualTo("socket.io#/#room1#");
        assertThat(HexFormat.of().formatHex(out.payload())).isEqualTo(
                "84a47479706503a46461746182a67061636b657482a47479706502a46461746192a362696ec403010203"
                        + "a46f70747383a5726f6f6d7391a5726f6f6d31a665786365707490a5666c61677380"
                        + "a3756964b0" + HexFormat.of().formatHex(UID.getBytes(StandardCharsets.US_ASCII)) + "a36e7370a12f");
    }

    @Test
    void keepsSocketIdRoomsAcksAndStaticModeOnTheMainChannel() {
        String socketId = "abcdefghij0123456789";
        ShardedCodec fixed = new ShardedCodec("socket.io", "/", SubscriptionMode.STATIC, new ObjectMapper());
        ShardedCodec everyRoom = new ShardedCodec("socket.io", "/", SubscriptionMode.DYNAMIC_PRIVATE, new ObjectMapper());
        BroadcastOptions withTimeout = BroadcastOptions.to(Set.of("r1")).withFlags(BroadcastFlags.NONE.withTimeout(Duration.ofMillis(100)));

        assertThat(dynamic.encode(broadcast(BroadcastOptions.to(Set.of(socketId)), null, "x")).channel()).isEqualTo("socket.io#/#");
        assertThat(everyRoom.encode(broadcast(BroadcastOptions.to(Set.of(socketId)), null, "x")).channel())
                .isEqualTo("socket.io#/#" + socketId + "#");
        assertThat(fixed.encode(broadcast(BroadcastOptions.to(Set.of("r1")), null, "x")).channel()).isEqualTo("socket.io#/#");
        Outgoing ack = dynamic.encode(broadcast(withTimeout, "5b9e69481cc09e77", "q", 1));
        assertThat(ack.channel()).isEqualTo("socket.io#/#");
        assertThat(text(ack)).isEqualTo("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"q\",1]},\"requestId\":\"5b9e69481cc09e77\","
                + "\"opts\":{\"rooms\":[\"r1\"],\"except\":[],\"flags\":{\"timeout\":100}}},\"uid\":\"fa4dd493d59b8d51\",\"nsp\":\"/\"}");
    }

    @Test
    void encodesRequestsAndResponsesInClusterAdapterKeyOrder() {
        Outgoing join = dynamic.encode(new ClusterMessage(UID, "/", new ClusterPayload.SocketsJoin(BroadcastOptions.ALL, Set.of("r3"))));
        Outgoing response = dynamic.encodeResponse("0123456789abcdef",
                new ClusterMessage(UID, "/", new ClusterPayload.ServerSideEmitResponse("rq", new byte[]{1})));

        assertThat(text(join)).isEqualTo("{\"type\":4,\"data\":{\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}},\"rooms\":[\"r3\"]},"
                + "\"uid\":\"fa4dd493d59b8d51\",\"nsp\":\"/\"}");
        assertThat(response.channel()).isEqualTo("socket.io#/#0123456789abcdef#");
        assertThat(response.payload()[0] & 0xff).isEqualTo(0x84); // binary inside: msgpack
    }

    @Test
    void decodesWhatItEncodes() {
        ClusterMessage original = broadcast(BroadcastOptions.to(Set.of("room1")), null, "bin", new byte[]{1, 2, 3});

        ClusterMessage decoded = dynamic.decode(dynamic.encode(original).payload());

        assertThat(decoded.uid()).isEqualTo(UID);
        Broadcast broadcast = (Broadcast) decoded.data();
        assertThat(broadcast.opts()).isEqualTo(BroadcastOptions.to(Set.of("room1")));
        assertThat((byte[]) broadcast.packet().args().get(1)).containsExactly(1, 2, 3);
        assertThat(new ShardedCodec("socket.io", "/other", SubscriptionMode.DYNAMIC, new ObjectMapper())
                .decode(dynamic.encode(original).payload())).isNull();
    }
}
