package io.sockeye.adapter.nats.internal;

import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterPayload;
import io.sockeye.core.adapter.ClusterPayload.AdapterClose;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.adapter.ClusterPayload.BroadcastAck;
import io.sockeye.core.adapter.ClusterPayload.BroadcastClientCount;
import io.sockeye.core.adapter.ClusterPayload.DisconnectSockets;
import io.sockeye.core.adapter.ClusterPayload.FetchSockets;
import io.sockeye.core.adapter.ClusterPayload.FetchSocketsResponse;
import io.sockeye.core.adapter.ClusterPayload.Heartbeat;
import io.sockeye.core.adapter.ClusterPayload.InitialHeartbeat;
import io.sockeye.core.adapter.ClusterPayload.ServerSideEmit;
import io.sockeye.core.adapter.ClusterPayload.ServerSideEmitResponse;
import io.sockeye.core.adapter.ClusterPayload.SocketsJoin;
import io.sockeye.core.adapter.ClusterPayload.SocketsLeave;
import io.sockeye.core.adapter.SocketDetails;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterMessageCodecTest {

    private static final String UID = "fa4dd493d59b8d51";

    private final ClusterMessageCodec codec = new ClusterMessageCodec();

    /** An application POJO with binary inside. */
    record Upload(String name, ByteBuffer content) {
    }

    // ---- golden bytes: socket.io's ClusterAdapter format (PROTOCOL.md §4.2) ----------------------

    @Test
    void encodesABroadcastAsSocketIoJson() {
        ClusterMessage message = new ClusterMessage(UID, "/", new Broadcast(
                SocketPacket.event("/", List.of("hello", "world")), BroadcastOptions.ALL, null));

        assertThat(json(codec.encode(message))).isEqualTo("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":"
                + "[\"hello\",\"world\"]},\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}}},\"uid\":\"" + UID
                + "\",\"nsp\":\"/\"}");
    }

    @Test
    void encodesABroadcastWithAckWithRequestIdBeforeOptsAndTimeoutInMillis() {
        BroadcastOptions opts = BroadcastOptions.ALL.withFlags(BroadcastFlags.NONE.withTimeout(Duration.ofMillis(100)));
        ClusterMessage message = new ClusterMessage(UID, "/", new Broadcast(
                SocketPacket.event("/", List.of("q", 1)), opts, "5b9e69481cc09e77"));

        assertThat(json(codec.encode(message))).isEqualTo("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":"
                + "[\"q\",1]},\"requestId\":\"5b9e69481cc09e77\",\"opts\":{\"rooms\":[],\"except\":[],"
                + "\"flags\":{\"timeout\":100}}},\"uid\":\"" + UID + "\",\"nsp\":\"/\"}");
    }

    @Test
    void encodesSocketsJoinAndHeartbeatsAsSocketIoJson() {
        assertThat(json(codec.encode(new ClusterMessage(UID, "/", new SocketsJoin(BroadcastOptions.ALL, Set.of("r3"))))))
                .isEqualTo("{\"type\":4,\"data\":{\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}},\"rooms\":[\"r3\"]},"
                        + "\"uid\":\"" + UID + "\",\"nsp\":\"/\"}");
        // Heartbeats carry no data at all, like socket.io's.
        assertThat(json(codec.encode(new ClusterMessage(UID, "/chat", new Heartbeat()))))
                .isEqualTo("{\"type\":2,\"uid\":\"" + UID + "\",\"nsp\":\"/chat\"}");
    }

    @Test
    void encodesABinaryBroadcastAsSocketIoMsgpack() {
        ClusterMessage message = new ClusterMessage(UID, "/", new Broadcast(
                SocketPacket.event("/", List.of("bin", new byte[]{1, 2, 3})), BroadcastOptions.to(Set.of("room1")), null));

        String expected = "84a474797065" + "03" + "a464617461" + "82" + "a67061636b6574" + "82" + "a474797065" + "02"
                + "a464617461" + "92" + "a362696e" + "c403010203"
                + "a46f707473" + "83" + "a5726f6f6d73" + "91" + "a5726f6f6d31" + "a6657863657074" + "90"
                + "a5666c616773" + "80"
                + "a3756964" + "b0" + HexFormat.of().formatHex(UID.getBytes(StandardCharsets.US_ASCII))
                + "a36e7370" + "a12f";
        assertThat(HexFormat.of().formatHex(codec.encode(message))).isEqualTo(expected);
    }

    // ---- round trips -----------------------------------------------------------------------------

    @Test
    void roundTripsEveryMessageType() {
        BroadcastOptions opts = new BroadcastOptions(new LinkedHashSet<>(List.of("a", "b")), Set.of("c"),
                new BroadcastFlags(true, false, true, Duration.ofMillis(1500)));
        Map<String, Object> handshake = Map.of("auth", Map.of("token", "t"), "url", "/socket.io/?EIO=4");
        List<ClusterPayload> payloads = List.of(
                new InitialHeartbeat(), new Heartbeat(), new AdapterClose(),
                new Broadcast(SocketPacket.event("/chat", List.of("news", Map.of("n", 1), List.of(true, 2.5))), opts, null),
                new Broadcast(SocketPacket.event("/chat", List.of("q")), opts, "r1"),
                new SocketsJoin(opts, Set.of("x", "y")),
                new SocketsLeave(BroadcastOptions.ALL, Set.of("x")),
                new DisconnectSockets(opts, true),
                new FetchSockets("r2", opts),
                new FetchSocketsResponse("r2", List.of(new SocketDetails("s1", handshake, Set.of("s1", "a"), Map.of("k", "v")))),
                new ServerSideEmit(null, List.of("ping", 1)),
                new ServerSideEmit("r3", List.of("ping")),
                new ServerSideEmitResponse("r3", "pong"),
                new ServerSideEmitResponse("r3", null),
                new BroadcastClientCount("r4", 7),
                new BroadcastAck("r4", Map.of("ok", true)));

        for (ClusterPayload payload : payloads) {
            ClusterMessage message = new ClusterMessage(UID, "/chat", payload);
            assertThat(codec.decode(codec.encode(message))).as("%s", payload.type()).isEqualTo(message);
        }
    }

    @Test
    void keepsBinaryNestedInMapsAndPojosAsBinary() {
        ClusterMessage message = new ClusterMessage(null, "/", new Broadcast(SocketPacket.event("/",
                List.of("files", Map.of("raw", new byte[]{9}), new Upload("a.bin", ByteBuffer.wrap(new byte[]{7, 8})))),
                BroadcastOptions.ALL, null));

        byte[] bytes = codec.encode(message);
        ClusterMessage decoded = codec.decode(bytes);

        assertThat(bytes[0]).isNotEqualTo((byte) '{'); // binary present: msgpack
        assertThat(decoded.uid()).isNull();
        List<Object> args = ((Broadcast) decoded.data()).packet().args();
        assertThat(args.get(0)).isEqualTo("files");
        assertThat((byte[]) ((Map<?, ?>) args.get(1)).get("raw")).containsExactly(9);
        Map<?, ?> upload = (Map<?, ?>) args.get(2);
        assertThat(upload.get("name")).isEqualTo("a.bin");
        assertThat((byte[]) upload.get("content")).containsExactly(7, 8);
    }

    @Test
    void decodesNumbersAsTheSmallestJavaType() {
        ClusterMessage decoded = codec.decode(("{\"type\":9,\"data\":{\"packet\":[\"n\",1,5000000000,"
                + "18446744073709551615,1.5]},\"uid\":\"u\",\"nsp\":\"/\"}").getBytes(StandardCharsets.UTF_8));

        List<Object> packet = ((ServerSideEmit) decoded.data()).packet();
        assertThat(packet.get(1)).isEqualTo(1);
        assertThat(packet.get(2)).isEqualTo(5_000_000_000L);
        assertThat(packet.get(3)).isEqualTo(new java.math.BigInteger("18446744073709551615"));
        assertThat(packet.get(4)).isEqualTo(1.5);
    }

    // ---- bad input ---------------------------------------------------------------------------------

    @Test
    void refusesMalformedMessagesNamingTheProblem() {
        assertThatThrownBy(() -> codec.decode(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> codec.decode("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> codec.decode(new byte[]{(byte) 0xc1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.decode(utf8("{\"type\":42,\"nsp\":\"/\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown cluster message type 42");
        assertThatThrownBy(() -> codec.decode(utf8("{\"type\":2}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nsp'");
        assertThatThrownBy(() -> codec.decode(utf8("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":\"x\"},"
                + "\"opts\":{}},\"nsp\":\"/\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'packet.data'");
        assertThatThrownBy(() -> codec.decode(utf8("{\"type\":3,\"data\":{\"packet\":{\"type\":0,\"data\":[]},"
                + "\"opts\":{}},\"nsp\":\"/\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an EVENT or ACK");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String json(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
