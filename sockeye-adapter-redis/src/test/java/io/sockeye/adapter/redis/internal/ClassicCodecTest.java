package io.sockeye.adapter.redis.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.adapter.redis.internal.ClassicCodec.AllRoomsQuery;
import io.sockeye.adapter.redis.internal.ClassicCodec.AllRoomsResponse;
import io.sockeye.adapter.redis.internal.ClassicCodec.LegacySocketOp;
import io.sockeye.adapter.redis.internal.ClassicCodec.Message;
import io.sockeye.adapter.redis.internal.ClassicCodec.SocketsQuery;
import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterPayload;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.adapter.ClusterPayload.BroadcastAck;
import io.sockeye.core.adapter.ClusterPayload.BroadcastClientCount;
import io.sockeye.core.adapter.ClusterPayload.FetchSocketsResponse;
import io.sockeye.core.adapter.ClusterPayload.ServerSideEmitResponse;
import io.sockeye.core.adapter.SocketDetails;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic redis-adapter format against the bytes a Node.js server with {@code @socket.io/redis-adapter}
 * 8.3 published (node uid {@code ybGbT5}), both ways.
 */
class ClassicCodecTest {

    private static final String NODE_UID = "ybGbT5";
    private final ClassicCodec root = new ClassicCodec("socket.io", "/", NODE_UID, false, new ObjectMapper());
    private final ClassicCodec custom = new ClassicCodec("socket.io", "/custom", "dc2ck0", false, new ObjectMapper());

    private static ClusterMessage message(String nsp, ClusterPayload payload) {
        return new ClusterMessage("core-uid-ignored", nsp, payload);
    }

    private static Broadcast broadcast(String nsp, BroadcastOptions opts, Object... args) {
        return new Broadcast(SocketPacket.event(nsp, List.of(args)), opts, null);
    }

    private static String hex(Outgoing out) {
        return HexFormat.of().formatHex(out.payload());
    }

    private static String text(Outgoing out) {
        return new String(out.payload(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodesABroadcastToAllLikeNode() {
        Outgoing out = root.encode(message("/", broadcast("/", BroadcastOptions.ALL, "hello", "world")));

        assertThat(out.channel()).isEqualTo("socket.io#/#");
        assertThat(hex(out)).isEqualTo("93a6796247625435" + "83a47479706502a46461746192a568656c6c6fa5776f726c64a36e7370a12f"
                + "83a5726f6f6d7390a665786365707490a5666c61677380");
    }

    @Test
    void encodesAOneRoomBinaryBroadcastOnTheRoomChannelLikeNode() {
        Outgoing out = root.encode(message("/", broadcast("/", BroadcastOptions.to(Set.of("room1")), "bin", new byte[]{1, 2, 3})));

        assertThat(out.channel()).isEqualTo("socket.io#/#room1#");
        assertThat(hex(out)).isEqualTo("93a679624762543583a47479706502a46461746192a362696ec403010203a36e7370a12f"
                + "83a5726f6f6d7391a5726f6f6d31a665786365707490a5666c61677380");
    }

    @Test
    void encodesVolatileExceptOfAnotherNamespaceLikeNode() {
        BroadcastOptions opts = new BroadcastOptions(Set.of(), Set.of("r2"), BroadcastFlags.NONE.withVolatile(true));
        Outgoing out = custom.encode(message("/custom", broadcast("/custom", opts, "x", Map.of("a", 1))));

        assertThat(out.channel()).isEqualTo("socket.io#/custom#");
        assertThat(out.payload()).isEqualTo(bytes("\u0093\u00a6dc2ck0\u0083\u00a4type\u0002\u00a4data\u0092\u00a1x\u0081\u00a1a\u0001"
                + "\u00a3nsp\u00a7/custom\u0083\u00a5rooms\u0090\u00a6except\u0091\u00a2r2\u00a5flags\u0081\u00a8volatile\u00c3"));
    }

    @Test
    void encodesRequestsAsNodeDoes() {
        BroadcastOptions all = BroadcastOptions.ALL;
        assertThat(text(root.encode(message("/", new ClusterPayload.SocketsJoin(all, Set.of("r3"))))))
                .isEqualTo("{\"uid\":\"ybGbT5\",\"type\":2,\"opts\":{\"rooms\":[],\"except\":[]},\"rooms\":[\"r3\"]}");
        assertThat(text(root.encode(message("/", new ClusterPayload.DisconnectSockets(all, true)))))
                .isEqualTo("{\"uid\":\"ybGbT5\",\"type\":4,\"opts\":{\"rooms\":[],\"except\":[]},\"close\":true}");
        assertThat(text(root.encode(message("/", new ClusterPayload.ServerSideEmit(null, List.of("ping", 1))))))
                .isEqualTo("{\"uid\":\"ybGbT5\",\"type\":6,\"data\":[\"ping\",1]}");
        assertThat(text(root.encode(message("/", new ClusterPayload.FetchSockets("sic_QB", all)))))
                .isEqualTo("{\"uid\":\"ybGbT5\",\"requestId\":\"sic_QB\",\"type\":5,\"opts\":{\"rooms\":[],\"except\":[]}}");
        assertThat(text(root.allRoomsRequest("sic_QB"))).isEqualTo("{\"uid\":\"ybGbT5\",\"requestId\":\"sic_QB\",\"type\":1}");
        assertThat(root.encode(message("/", new ClusterPayload.Heartbeat()))).isNull();
    }

    @Test
    void encodesABroadcastWithAckAsAMsgpackRequest() {
        BroadcastOptions opts = BroadcastOptions.ALL.withFlags(BroadcastFlags.NONE.withTimeout(Duration.ofMillis(100)));
        Outgoing out = root.encode(message("/", new Broadcast(SocketPacket.event("/", List.of("q", 1)), opts, "Zy2Zy7")));

        assertThat(out.channel()).isEqualTo("socket.io-request#/#");
        assertThat(out.payload()).isEqualTo(bytes("\u0085\u00a3uid\u00a6ybGbT5\u00a9requestId\u00a6Zy2Zy7\u00a4type\u0007"
                + "\u00a6packet\u0083\u00a4type\u0002\u00a4data\u0092\u00a1q\u0001\u00a3nsp\u00a1/"
                + "\u00a4opts\u0083\u00a5rooms\u0090\u00a6except\u0090\u00a5flags\u0081\u00a7timeout\u0064"));
    }

    @Test
    void encodesResponsesAsNodeDoes() {
        SocketDetails socket = new SocketDetails("sid1", Map.of("url", "/"), Set.of("sid1"), null);
        Outgoing fetched = root.encodeResponse("NodeUi", message("/", new FetchSocketsResponse("r1", List.of(socket))));
        Outgoing emitted = root.encodeResponse("NodeUi", message("/", new ServerSideEmitResponse("r2", "pong")));
        Outgoing counted = root.encodeResponse("NodeUi", message("/", new BroadcastClientCount("r3", 2)));
        Outgoing acked = root.encodeResponse("NodeUi", message("/", new BroadcastAck("r4", "ok")));

        assertThat(fetched.channel()).isEqualTo("socket.io-response#/#");
        assertThat(text(fetched)).isEqualTo("{\"requestId\":\"r1\",\"sockets\":[{\"id\":\"sid1\",\"handshake\":{\"url\":\"/\"},"
                + "\"rooms\":[\"sid1\"],\"data\":null}]}");
        assertThat(text(emitted)).isEqualTo("{\"type\":6,\"requestId\":\"r2\",\"data\":\"pong\"}");
        assertThat(text(counted)).isEqualTo("{\"type\":8,\"requestId\":\"r3\",\"clientCount\":2}");
        assertThat(acked.payload()).isEqualTo(bytes("\u0083\u00a4type\u0009\u00a9requestId\u00a2r4\u00a6packet\u00a2ok"));
    }

    @Test
    void answersOnTheRequestersOwnChannelWhenConfigured() {
        ClassicCodec specific = new ClassicCodec("socket.io", "/", NODE_UID, true, new ObjectMapper());

        assertThat(specific.encodeResponse("NodeUi", message("/", new BroadcastClientCount("r", 1))).channel())
                .isEqualTo("socket.io-response#/#NodeUi#");
        // redis-adapter 8.3 answers serverSideEmit on the shared channel whatever the option says.
        assertThat(specific.encodeResponse("NodeUi", message("/", new ServerSideEmitResponse("r", 1))).channel())
                .isEqualTo("socket.io-response#/#");
        assertThat(specific.specificResponseChannel()).isEqualTo("socket.io-response#/#ybGbT5#");
    }

    @Test
    void decodesANodeBroadcastAndDropsItsOwn() {
        ClassicCodec other = new ClassicCodec("socket.io", "/", "Other1", false, new ObjectMapper());
        byte[] nodeBytes = root.encode(message("/", broadcast("/", BroadcastOptions.to(Set.of("room1")), "bin", new byte[]{1, 2, 3}))).payload();

        ClusterMessage decoded = other.decodeBroadcast(nodeBytes);

        assertThat(decoded.uid()).isEqualTo(NODE_UID);
        Broadcast broadcast = (Broadcast) decoded.data();
        assertThat(broadcast.opts().rooms()).containsExactly("room1");
        assertThat(broadcast.packet().args().get(0)).isEqualTo("bin");
        assertThat((byte[]) broadcast.packet().args().get(1)).containsExactly(1, 2, 3);
        assertThat(root.decodeBroadcast(nodeBytes)).isNull();
        assertThat(custom.decodeBroadcast(nodeBytes)).isNull(); // another namespace
        assertThat(root.roomOf("socket.io#/#room1#")).isEqualTo("room1");
        assertThat(root.roomOf("socket.io#/#")).isEmpty();
    }

    @Test
    void decodesRequestsOfEveryType() {
        ClassicCodec me = new ClassicCodec("socket.io", "/", "MeMeMe", false, new ObjectMapper());

        assertThat(me.decodeRequest(utf8("{\"uid\":\"n\",\"requestId\":\"q\",\"type\":0,\"rooms\":[\"a\"]}")))
                .isEqualTo(new SocketsQuery("n", "q", Set.of("a")));
        assertThat(me.decodeRequest(utf8("{\"uid\":\"n\",\"requestId\":\"q\",\"type\":1}"))).isEqualTo(new AllRoomsQuery("n", "q"));
        assertThat(me.decodeRequest(utf8("{\"uid\":\"n\",\"requestId\":\"q\",\"type\":2,\"sid\":\"s\",\"room\":\"r\"}")))
                .isEqualTo(new LegacySocketOp("n", "q", 2, "s", "r", false));
        ClusterPayload join = ((Message) me.decodeRequest(utf8("{\"uid\":\"n\",\"type\":2,\"opts\":{\"rooms\":[],\"except\":[\"x\"]},\"rooms\":[\"r3\"]}"))).message().data();
        assertThat(join).isEqualTo(new ClusterPayload.SocketsJoin(new BroadcastOptions(Set.of(), Set.of("x"), null), Set.of("r3")));
        // An emitter's request has no uid: processed, never answered.
        ClusterMessage emit = ((Message) me.decodeRequest(utf8("{\"type\":6,\"data\":[\"ping\",1]}"))).message();
        assertThat(emit.uid()).isNull();
        assertThat(emit.data()).isEqualTo(new ClusterPayload.ServerSideEmit(null, List.of("ping", 1)));
        Broadcast withAck = (Broadcast) ((Message) me.decodeRequest(root.encode(message("/", new Broadcast(
                SocketPacket.event("/", List.of("q")), BroadcastOptions.ALL.withFlags(BroadcastFlags.NONE.withTimeout(Duration.ofMillis(100))),
                "Zy2Zy7"))).payload())).message().data();
        assertThat(withAck.requestId()).isEqualTo("Zy2Zy7");
        assertThat(withAck.opts().flags().timeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(me.decodeRequest(utf8("{\"uid\":\"MeMeMe\",\"type\":6,\"data\":[\"ping\"]}"))).isNull();
    }

    @Test
    void decodesResponsesWithAFreshSenderEach() {
        Message first = (Message) root.decodeResponse(utf8("{\"requestId\":\"q\",\"sockets\":[{\"id\":\"s\",\"handshake\":{},\"rooms\":[\"s\"]}]}"));
        Message second = (Message) root.decodeResponse(utf8("{\"requestId\":\"q\",\"sockets\":[]}"));

        assertThat(first.message().uid()).isNotEqualTo(second.message().uid());
        assertThat(((FetchSocketsResponse) first.message().data()).sockets())
                .containsExactly(new SocketDetails("s", Map.of(), Set.of("s"), null));
        assertThat(((Message) root.decodeResponse(utf8("{\"type\":6,\"requestId\":\"q\",\"data\":\"pong\"}"))).message().data())
                .isEqualTo(new ServerSideEmitResponse("q", "pong"));
        assertThat(((Message) root.decodeResponse(utf8("{\"type\":8,\"requestId\":\"q\",\"clientCount\":3}"))).message().data())
                .isEqualTo(new BroadcastClientCount("q", 3));
        assertThat(((Message) root.decodeResponse(bytes("\u0083\u00a4type\u0009\u00a9requestId\u00a1q\u00a6packet\u00a2ok"))).message().data())
                .isEqualTo(new BroadcastAck("q", "ok"));
        assertThat(root.decodeResponse(utf8("{\"requestId\":\"q\",\"rooms\":[\"a\",\"b\"]}")))
                .isInstanceOfSatisfying(AllRoomsResponse.class, r -> assertThat(r.rooms()).containsExactly("a", "b"));
        assertThat(root.decodeResponse(utf8("{\"requestId\":\"q\"}"))).isNull();
    }

    /** The bytes of a string of chars 0–255 (how redis-cli shows a binary message). */
    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }
}
