package io.sockeye.cluster.codec;

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

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * socket.io's {@code ClusterAdapter} format against the bytes {@code @socket.io/redis-adapter} 8.3's
 * sharded adapter published from a Node.js server (node uid {@code fa4dd493d59b8d51}), both ways, and
 * the {@code data} field of a {@code @socket.io/redis-streams-adapter} 0.3 stream entry.
 */
class ClusterMessageCodecTest {

    private static final String UID = "fa4dd493d59b8d51";
    /** {@code io.to("room1").emit("bin", Buffer.from([1, 2, 3]))} as the sharded adapter publishes it. */
    static final String BINARY_BROADCAST = "84a474797065" + "03" + "a464617461" + "82" + "a67061636b6574" + "82"
            + "a474797065" + "02" + "a464617461" + "92" + "a362696e" + "c403010203"
            + "a46f707473" + "83" + "a5726f6f6d73" + "91" + "a5726f6f6d31" + "a6657863657074" + "90"
            + "a5666c616773" + "80"
            + "a3756964" + "b0" + HexFormat.of().formatHex(UID.getBytes(StandardCharsets.US_ASCII))
            + "a36e7370" + "a12f";
    static final String HELLO_BROADCAST = "{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"hello\",\"world\"]},"
            + "\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}}},\"uid\":\"" + UID + "\",\"nsp\":\"/\"}";
    static final String ACK_BROADCAST = "{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"q\",1]},"
            + "\"requestId\":\"5b9e69481cc09e77\",\"opts\":{\"rooms\":[\"r1\"],\"except\":[],\"flags\":{\"timeout\":100}}},"
            + "\"uid\":\"" + UID + "\",\"nsp\":\"/\"}";
    static final String SOCKETS_JOIN = "{\"type\":4,\"data\":{\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}},"
            + "\"rooms\":[\"r3\"]},\"uid\":\"" + UID + "\",\"nsp\":\"/\"}";

    private final ClusterMessageCodec codec = new ClusterMessageCodec();

    /** An application POJO with binary inside. */
    record Upload(String name, ByteBuffer content) {
    }

    private static ClusterMessage broadcast(BroadcastOptions opts, String requestId, Object... args) {
        return new ClusterMessage(UID, "/", new Broadcast(SocketPacket.event("/", List.of(args)), opts, requestId));
    }

    // ---- golden bytes: what a Node.js node publishes --------------------------------------------

    @Test
    void encodesABroadcastAsNodeDoes() {
        assertThat(json(codec.encode(broadcast(BroadcastOptions.ALL, null, "hello", "world")))).isEqualTo(HELLO_BROADCAST);
    }

    @Test
    void encodesABroadcastWithAckWithRequestIdBeforeOptsAndTimeoutInMillis() {
        BroadcastOptions opts = BroadcastOptions.to(Set.of("r1")).withFlags(BroadcastFlags.NONE.withTimeout(Duration.ofMillis(100)));

        assertThat(json(codec.encode(broadcast(opts, "5b9e69481cc09e77", "q", 1)))).isEqualTo(ACK_BROADCAST);
    }

    @Test
    void encodesSocketsJoinAsNodeDoesAndHeartbeatsWithoutData() {
        assertThat(json(codec.encode(new ClusterMessage(UID, "/", new SocketsJoin(BroadcastOptions.ALL, Set.of("r3"))))))
                .isEqualTo(SOCKETS_JOIN);
        assertThat(json(codec.encode(new ClusterMessage(UID, "/chat", new Heartbeat()))))
                .isEqualTo("{\"type\":2,\"uid\":\"" + UID + "\",\"nsp\":\"/chat\"}");
    }

    @Test
    void encodesABinaryBroadcastAsMsgpackAsNodeDoes() {
        ClusterMessage message = broadcast(BroadcastOptions.to(Set.of("room1")), null, "bin", new byte[]{1, 2, 3});

        assertThat(HexFormat.of().formatHex(codec.encode(message))).isEqualTo(BINARY_BROADCAST);
        assertThat(HexFormat.of().formatHex(codec.encodeMsgpack(message))).isEqualTo(BINARY_BROADCAST);
    }

    @Test
    void encodesMsgpackOnlyForTypesThatMayCarryBinaryAndDo() {
        byte[] response = codec.encode(new ClusterMessage(UID, "/", new ServerSideEmitResponse("rq", new byte[]{1})));
        byte[] join = codec.encode(new ClusterMessage(UID, "/", new SocketsJoin(BroadcastOptions.ALL, Set.of("r"))));

        assertThat(response[0] & 0xff).isEqualTo(0x84);
        assertThat(join[0]).isEqualTo((byte) '{');
    }

    @Test
    void decodesWhatNodePublishes() {
        ClusterMessage binary = codec.decode(HexFormat.of().parseHex(BINARY_BROADCAST));
        ClusterMessage withAck = codec.decode(utf8(ACK_BROADCAST));

        assertThat(binary.uid()).isEqualTo(UID);
        Broadcast broadcast = (Broadcast) binary.data();
        assertThat(broadcast.opts()).isEqualTo(BroadcastOptions.to(Set.of("room1")));
        assertThat(broadcast.packet().nsp()).isEqualTo("/");
        assertThat(broadcast.packet().args().get(0)).isEqualTo("bin");
        assertThat((byte[]) broadcast.packet().args().get(1)).containsExactly(1, 2, 3);
        assertThat(((Broadcast) withAck.data()).requestId()).isEqualTo("5b9e69481cc09e77");
        assertThat(((Broadcast) withAck.data()).opts().flags().timeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(codec.decode(utf8(SOCKETS_JOIN)).data())
                .isEqualTo(new SocketsJoin(BroadcastOptions.ALL, Set.of("r3")));
    }

    @Test
    void writesTheDataFieldOfARedisStreamEntryAsTheStreamsAdapterDoes() {
        ClusterPayload hello = broadcast(BroadcastOptions.ALL, null, "hello", "world").data();
        ClusterPayload binary = broadcast(BroadcastOptions.ALL, null, "bin", new byte[]{1}).data();

        assertThat(codec.carriesBinary(hello)).isFalse();
        assertThat(json(codec.json(codec.data(hello)))).isEqualTo(
                "{\"packet\":{\"type\":2,\"data\":[\"hello\",\"world\"]},\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}}}");
        assertThat(codec.carriesBinary(binary)).isTrue();
        assertThat(Base64.getEncoder().encodeToString(codec.msgpack(codec.data(binary)))).startsWith("gqZwYWNrZXSC");
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
            assertThat(codec.decode(codec.encodeMsgpack(message))).as("%s as msgpack", payload.type()).isEqualTo(message);
        }
    }

    @Test
    void keepsBinaryNestedInMapsAndPojosAsBinaryAndLeavesOutAMissingUid() {
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
    void decodesNumbersAsTheSmallestJavaTypeAndNumericRoomsAsTheirText() {
        ClusterMessage emit = codec.decode(utf8("{\"type\":9,\"data\":{\"packet\":[\"n\",1,5000000000,"
                + "18446744073709551615,1.5]},\"uid\":\"u\",\"nsp\":\"/\"}"));
        ClusterMessage join = codec.decode(utf8("{\"type\":4,\"data\":{\"opts\":{\"rooms\":[7],\"except\":[]},"
                + "\"rooms\":[1,2.0,\"x\",null]},\"nsp\":\"/\"}"));

        List<Object> packet = ((ServerSideEmit) emit.data()).packet();
        assertThat(packet.get(1)).isEqualTo(1);
        assertThat(packet.get(2)).isEqualTo(5_000_000_000L);
        assertThat(packet.get(3)).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(packet.get(4)).isEqualTo(1.5);
        assertThat(join.data()).isEqualTo(new SocketsJoin(BroadcastOptions.to(Set.of("7")), Set.of("1", "2", "x")));
    }

    // ---- bad input ---------------------------------------------------------------------------------

    @Test
    void ignoresMessagesOfATypeThisVersionDoesNotKnowOrOfNoNamespace() {
        assertThat(codec.decode(utf8("{\"type\":42,\"data\":{\"new\":true},\"uid\":\"u\",\"nsp\":\"/\"}"))).isNull();
        assertThat(codec.decode(utf8("{\"type\":2,\"uid\":\"u\"}"))).isNull();
    }

    @Test
    void refusesMalformedMessagesNamingTheProblem() {
        assertRefused(new byte[0], "empty");
        assertRefused(utf8("{not json"), "malformed JSON");
        assertRefused(new byte[]{(byte) 0xc1}, "msgpack");
        assertRefused(utf8("{\"type\":\"3\",\"nsp\":\"/\"}"), "'type'");
        assertRefused(utf8("{\"type\":2,\"nsp\":7}"), "'nsp'");
        assertRefused(utf8("{\"type\":2,\"nsp\":\"/\",\"uid\":7}"), "'uid'");
        assertRefused(utf8("{\"type\":3,\"nsp\":\"/\"}"), "'data'");
        assertRefused(utf8("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":\"x\"},\"opts\":{}},\"nsp\":\"/\"}"),
                "'packet.data'");
        assertRefused(utf8("{\"type\":3,\"data\":{\"packet\":{\"type\":0,\"data\":[\"x\"]},\"opts\":{}},\"nsp\":\"/\"}"),
                "not an EVENT");
        assertRefused(utf8("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[]},\"opts\":{}},\"nsp\":\"/\"}"),
                "no event name");
        assertRefused(utf8("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"x\"]},\"opts\":{}},\"nsp\":\"chat\"}"),
                "namespace");
        assertRefused(utf8("{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"x\"]}},\"nsp\":\"/\"}"), "'opts'");
        assertRefused(utf8("{\"type\":4,\"data\":{\"opts\":{},\"rooms\":[{}]},\"nsp\":\"/\"}"), "'data.rooms[]'");
        assertRefused(utf8("{\"type\":7,\"data\":{\"opts\":{}},\"nsp\":\"/\"}"), "'data.requestId'");
        assertRefused(utf8("{\"type\":8,\"data\":{\"requestId\":\"r\",\"sockets\":[{\"rooms\":[]}]},\"nsp\":\"/\"}"),
                "'sockets[].id'");
        assertRefused(utf8("{\"type\":9,\"data\":{\"packet\":{}},\"nsp\":\"/\"}"), "'data.packet'");
        assertRefused(utf8("{\"type\":11,\"data\":{\"requestId\":\"r\",\"clientCount\":-1},\"nsp\":\"/\"}"),
                "'data.clientCount'");
    }

    private void assertRefused(byte[] bytes, String reason) {
        assertThatThrownBy(() -> codec.decode(bytes)).as(reason)
                .isInstanceOf(ClusterCodecException.class).hasMessageContaining(reason);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String json(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
