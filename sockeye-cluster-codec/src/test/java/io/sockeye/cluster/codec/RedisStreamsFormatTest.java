package io.sockeye.cluster.codec;

import io.sockeye.cluster.codec.RedisStreamsFormat.Session;
import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.core.adapter.ClusterPayload;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.adapter.ClusterPayload.BroadcastAck;
import io.sockeye.core.adapter.ClusterPayload.DisconnectSockets;
import io.sockeye.core.adapter.ClusterPayload.FetchSockets;
import io.sockeye.core.adapter.ClusterPayload.FetchSocketsResponse;
import io.sockeye.core.adapter.ClusterPayload.ServerSideEmit;
import io.sockeye.core.adapter.ClusterPayload.SocketsJoin;
import io.sockeye.core.adapter.ClusterPayload.SocketsLeave;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @socket.io/redis-streams-adapter} 0.3.1's formats against what a Node.js socket.io 4.8 server
 * with that adapter wrote to a real Redis (node uid {@code 0585fe9b370536bf}, {@code /custom}'s
 * {@code 5cfa09083baccd60}), captured with {@code MONITOR} and {@code GET}.
 */
class RedisStreamsFormatTest {

    private static final String UID = "0585fe9b370536bf";
    private static final String REQUEST_ID = "7ba80eb859f06667";

    private final RedisStreamsFormat format = new RedisStreamsFormat(new ClusterMessageCodec(), false);

    private static ClusterMessage message(String nsp, ClusterPayload payload) {
        return new ClusterMessage(UID, nsp, payload);
    }

    private static Broadcast broadcast(BroadcastOptions opts, String requestId, Object... args) {
        return new Broadcast(SocketPacket.event("/", List.of(args)), opts, requestId);
    }

    /** The entry's fields as the text MONITOR shows after {@code XADD socket.io MAXLEN ~ 10000 *}. */
    private static Map<String, String> text(Map<String, byte[]> fields) {
        Map<String, String> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    private static Map<String, byte[]> fields(String uid, String nsp, String type, String data) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("uid", uid.getBytes(StandardCharsets.UTF_8));
        out.put("nsp", nsp.getBytes(StandardCharsets.UTF_8));
        out.put("type", type.getBytes(StandardCharsets.UTF_8));
        if (data != null) {
            out.put("data", data.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    // ---- stream entries ----------------------------------------------------------------------

    @Test
    void writesEntriesFieldForFieldAsTheNodeAdapter() {
        assertThat(text(format.entry(message("/", broadcast(BroadcastOptions.ALL, null, "hello", "world")))))
                .containsExactly(Map.entry("uid", UID), Map.entry("nsp", "/"), Map.entry("type", "3"), Map.entry("data",
                        "{\"packet\":{\"type\":2,\"data\":[\"hello\",\"world\"]},\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}}}"));
        assertThat(text(format.entry(message("/", broadcast(BroadcastOptions.to(Set.of("room1")), null, "bin",
                (Object) new byte[]{1, 2, 3})))).get("data"))
                .isEqualTo("gqZwYWNrZXSCpHR5cGUCpGRhdGGSo2JpbsQDAQIDpG9wdHODpXJvb21zkaVyb29tMaZleGNlcHSQpWZsYWdzgA==");
        BroadcastOptions exceptVolatile = new BroadcastOptions(Set.of(), Set.of("r2"), BroadcastFlags.NONE.withVolatile(true));
        assertThat(text(format.entry(new ClusterMessage("5cfa09083baccd60", "/custom",
                new Broadcast(SocketPacket.event("/custom", List.of("x", Map.of("a", 1))), exceptVolatile, null)))))
                .containsExactly(Map.entry("uid", "5cfa09083baccd60"), Map.entry("nsp", "/custom"), Map.entry("type", "3"),
                        Map.entry("data", "{\"packet\":{\"type\":2,\"data\":[\"x\",{\"a\":1}]},"
                                + "\"opts\":{\"rooms\":[],\"except\":[\"r2\"],\"flags\":{\"volatile\":true}}}"));
        String all = "{\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}},";
        assertThat(text(format.entry(message("/", new SocketsJoin(BroadcastOptions.ALL, Set.of("r3"))))))
                .containsEntry("type", "4").containsEntry("data", all + "\"rooms\":[\"r3\"]}");
        assertThat(text(format.entry(message("/", new SocketsLeave(BroadcastOptions.ALL, Set.of("r3"))))))
                .containsEntry("type", "5").containsEntry("data", all + "\"rooms\":[\"r3\"]}");
        assertThat(text(format.entry(message("/", new DisconnectSockets(BroadcastOptions.ALL, true)))))
                .containsEntry("type", "6").containsEntry("data", all + "\"close\":true}");
    }

    @Test
    void onlyPlaintextWritesBinaryEntriesAsJsonToo() {
        RedisStreamsFormat plain = new RedisStreamsFormat(new ClusterMessageCodec(), true);
        assertThat(text(plain.entry(message("/", broadcast(BroadcastOptions.ALL, null, "bin", (Object) new byte[]{1}))))
                .get("data")).startsWith("{\"packet\"");
    }

    @Test
    void readsTheEntriesANodeNodeWrote() {
        ClusterMessage hello = format.decodeEntry(fields(UID, "/", "3",
                "{\"packet\":{\"type\":2,\"data\":[\"hello\",\"world\"]},\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}}}"));
        assertThat(hello).isEqualTo(message("/", broadcast(BroadcastOptions.ALL, null, "hello", "world")));
        Broadcast binary = (Broadcast) format.decodeEntry(fields(UID, "/", "3",
                "gqZwYWNrZXSCpHR5cGUCpGRhdGGSo2JpbsQDAQIDpG9wdHODpXJvb21zkaVyb29tMaZleGNlcHSQpWZsYWdzgA==")).data();
        assertThat(binary.opts().rooms()).containsExactly("room1");
        assertThat(binary.packet().args().get(0)).isEqualTo("bin");
        assertThat((byte[]) binary.packet().args().get(1)).containsExactly(1, 2, 3);
        assertThat(format.decodeEntry(fields(UID, "/", "6",
                "{\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}},\"close\":true}")).data())
                .isEqualTo(new DisconnectSockets(BroadcastOptions.ALL, true));
    }

    @Test
    void ignoresEntriesOfUnknownTypesOrWithoutNamespaceAndRefusesMalformedOnes() {
        assertThat(format.decodeEntry(fields(UID, "/", "99", "{}"))).isNull();
        assertThat(format.decodeEntry(fields(UID, "", "3", "{}"))).isNull();
        assertThatThrownBy(() -> format.decodeEntry(fields(UID, "/", "3x", "{}"))).isInstanceOf(ClusterCodecException.class);
        assertThatThrownBy(() -> format.decodeEntry(fields(UID, "/", "3", "!!not base64")))
                .isInstanceOf(ClusterCodecException.class);
        assertThatThrownBy(() -> format.decodeEntry(fields(UID, "/", "3", null))).isInstanceOf(ClusterCodecException.class);
        assertThatThrownBy(() -> format.decodeEntry(fields(UID, "/", "3", "{\"packet\":1}")))
                .isInstanceOf(ClusterCodecException.class);
    }

    @Test
    void roundTripsEveryDurableMessage() {
        BroadcastOptions opts = new BroadcastOptions(Set.of("a"), Set.of("b"), BroadcastFlags.NONE.withVolatile(true));
        for (ClusterPayload payload : List.of(broadcast(opts, null, "e", 1, Map.of("k", List.of(true))),
                new SocketsJoin(opts, Set.of("x")), new SocketsLeave(opts, Set.of("x")), new DisconnectSockets(opts, false))) {
            ClusterMessage message = message("/", payload);
            assertThat(RedisStreamsFormat.isEphemeral(message)).isFalse();
            assertThat(format.decodeEntry(format.entry(message))).as("%s", payload.type()).isEqualTo(message);
        }
    }

    // ---- pub/sub -----------------------------------------------------------------------------

    @Test
    void publishesRequestsAsMsgpackOfTheWholeMessageAsTheNodeAdapter() {
        String uid = hex(UID);
        assertThat(hex(format.encodePublished(message("/", new ServerSideEmit(null, List.of("ping", 1))))))
                .isEqualTo("84a474797065" + "09" + "a464617461" + "81" + "a67061636b6574" + "92" + "a470696e67" + "01"
                        + "a3756964" + "b0" + uid + "a36e7370" + "a12f");
        assertThat(hex(format.encodePublished(message("/", new ServerSideEmit(null, List.of("ping", new byte[]{1, 2, 3}))))))
                .isEqualTo("84a474797065" + "09" + "a464617461" + "81" + "a67061636b6574" + "92" + "a470696e67"
                        + "c403010203" + "a3756964" + "b0" + uid + "a36e7370" + "a12f");
        assertThat(hex(format.encodePublished(message("/", new FetchSockets(REQUEST_ID, BroadcastOptions.ALL)))))
                .isEqualTo("84a474797065" + "07" + "a464617461" + "82" + "a46f707473" + "83" + "a5726f6f6d73" + "90"
                        + "a6657863657074" + "90" + "a5666c616773" + "80" + "a9726571756573744964" + "b0" + hex(REQUEST_ID)
                        + "a3756964" + "b0" + uid + "a36e7370" + "a12f");
        BroadcastOptions timeout = BroadcastOptions.ALL.withFlags(BroadcastFlags.NONE.withTimeout(Duration.ofMillis(200)));
        assertThat(hex(format.encodePublished(message("/", broadcast(timeout, REQUEST_ID, "q")))))
                .isEqualTo("84a474797065" + "03" + "a464617461" + "83" + "a67061636b6574" + "82" + "a474797065" + "02"
                        + "a464617461" + "91" + "a171" + "a9726571756573744964" + "b0" + hex(REQUEST_ID)
                        + "a46f707473" + "83" + "a5726f6f6d73" + "90" + "a6657863657074" + "90" + "a5666c616773" + "81"
                        + "a774696d656f7574" + "ccc8" + "a3756964" + "b0" + uid + "a36e7370" + "a12f");
    }

    @Test
    void sendsRequestsAndResponsesOverPubSubAndReadsThemBack() {
        for (ClusterPayload payload : List.<ClusterPayload>of(broadcast(BroadcastOptions.ALL.withFlags(
                        BroadcastFlags.NONE.withTimeout(Duration.ofSeconds(1))), "r1", "q"),
                new ServerSideEmit(null, List.of("ping")), new FetchSockets("r2", BroadcastOptions.ALL),
                new FetchSocketsResponse("r2", List.of()), new BroadcastAck("r1", "ok"))) {
            ClusterMessage message = message("/", payload);
            assertThat(RedisStreamsFormat.isEphemeral(message)).as("%s", payload.type()).isTrue();
            assertThat(format.decodePublished(format.encodePublished(message))).isEqualTo(message);
        }
        assertThatThrownBy(() -> format.decodePublished(new byte[0])).isInstanceOf(ClusterCodecException.class);
        assertThatThrownBy(() -> format.decodePublished("{\"type\":3}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ClusterCodecException.class);
    }

    // ---- streams and offsets -----------------------------------------------------------------

    @Test
    void routesNamespacesToStreamsWithJavaScriptsHashIncludingNegativeRemainders() {
        assertThat(RedisStreamsFormat.streamName("socket.io", 1, "/chat")).isEqualTo("socket.io");
        // The names the Node.js adapter computes for these namespaces with streamCount 4: its % keeps the
        // sign of a negative hash, and -0 prints as 0.
        assertThat(RedisStreamsFormat.streamName("socket.io", 4, "/")).isEqualTo("socket.io-3");
        assertThat(RedisStreamsFormat.streamName("socket.io", 4, "/notifications")).isEqualTo("socket.io--3");
        assertThat(RedisStreamsFormat.streamName("socket.io", 4, "/\u00dcbersicht")).isEqualTo("socket.io--1");
        assertThat(RedisStreamsFormat.streamName("socket.io", 4, "/namespace-1")).isEqualTo("socket.io-0");
    }

    @Test
    void acceptsOnlyStreamEntryIdsAsOffsets() {
        assertThat(RedisStreamsFormat.isEntryId("1796651364658-0")).isTrue();
        assertThat(RedisStreamsFormat.isEntryId("0-0")).isTrue();
        assertThat(RedisStreamsFormat.isEntryId("18446744073709551615-18446744073709551615")).isTrue();
        for (String bad : new String[]{null, "", "-", "1-", "-1", "1-2-3", "1 -2", "1-2\n", "+1-2", "a-1",
                "18446744073709551616-0", "k3j9x0qa.0000000000000042", "$"}) {
            assertThat(RedisStreamsFormat.isEntryId(bad)).as("%s", bad).isFalse();
        }
    }

    // ---- sessions ----------------------------------------------------------------------------

    /** {@code GET sio:session:yUagLSFRua9sevzqAAAB} after a client in room1 dropped, socket.data {side:"node"}. */
    private static final String NODE_SESSION = "hKNzaWS0bWNQVUxjTkVmVWxuRkVlT0FBQUGjcGlktHlVYWdMU0ZSdWE5c2V2enFBQUFCpXJvb21z"
            + "krRtY1BVTGNORWZVbG5GRWVPQUFBQaVyb29tMaRkYXRhgaRzaWRlpG5vZGU=";

    @Test
    void readsAndWritesSessionsAsTheNodeAdapter() {
        Session session = format.decodeSession(NODE_SESSION.getBytes(StandardCharsets.US_ASCII));
        assertThat(session.sid()).isEqualTo("mcPULcNEfUlnFEeOAAAA");
        assertThat(session.pid()).isEqualTo("yUagLSFRua9sevzqAAAB");
        assertThat(session.rooms()).containsExactly("mcPULcNEfUlnFEeOAAAA", "room1");
        assertThat(session.data()).isEqualTo(Map.of("side", "node"));
        assertThat(session.extra()).isEmpty();
        assertThat(format.encodeSession(session)).isEqualTo(NODE_SESSION);
    }

    @Test
    void writesItsOwnFieldsAfterTheFourTheNodeAdapterReads() {
        Session ours = new Session("s", "p", List.of("s"), Map.of(), Map.of("position", "1-0", "sid", "ignored"));
        Session back = format.decodeSession(format.encodeSession(ours).getBytes(StandardCharsets.US_ASCII));
        assertThat(back.sid()).isEqualTo("s");
        assertThat(back.extra()).containsExactly(Map.entry("position", "1-0"));
        assertThatThrownBy(() -> format.decodeSession("not base64!".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ClusterCodecException.class);
        assertThatThrownBy(() -> format.decodeSession("kA==".getBytes(StandardCharsets.US_ASCII))) // []
                .isInstanceOf(ClusterCodecException.class);
    }

    @Test
    void aTokenWrittenFirstCanBeFoundInTheBase64WithoutDecoding() {
        String token = "abcdefghijklmnopqrstuvwx";
        Session session = new Session("sid-with-any-length", "p", List.of("a", "b"), Map.of("k", 1), Map.of("at", 5));
        String value = format.encodeSession(session, token);
        assertThat(value.substring(RedisStreamsFormat.TOKEN_MARKER_START, RedisStreamsFormat.TOKEN_MARKER_START + 32))
                .isEqualTo(RedisStreamsFormat.tokenMarker(token));
        Session back = format.decodeSession(value.getBytes(StandardCharsets.US_ASCII));
        assertThat(back.sid()).isEqualTo("sid-with-any-length");
        assertThat(back.extra()).containsExactly(Map.entry("at", 5));
        assertThatThrownBy(() -> RedisStreamsFormat.tokenMarker("short")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
