package io.sockeye.protocol.socket;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketPacketEncoderTest {

    private static final byte[] B010203 = {1, 2, 3};
    private static final byte[] B040506 = {4, 5, 6};
    private static final String P0 = "{\"_placeholder\":true,\"num\":0}";
    private static final String P1 = "{\"_placeholder\":true,\"num\":1}";
    private static final String P2 = "{\"_placeholder\":true,\"num\":2}";

    private final SocketPacketEncoder encoder = new SocketPacketEncoder(new ObjectMapper());

    private String text(SocketPacket packet) {
        EncodedPacket encoded = encoder.encode(packet);
        assertThat(encoded.attachments()).as("attachments of %s", encoded).isEmpty();
        return encoded.text();
    }

    private static List<Object> args(Object... args) {
        return new ArrayList<>(List.of(args));
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    // --- plain packets, as the protocol suite expects them ---

    @Test
    void encodesConnectReplies() {
        assertThat(text(SocketPacket.connect("/", Map.of("sid", "abc")))).isEqualTo("0{\"sid\":\"abc\"}");
        assertThat(text(SocketPacket.connect("/custom", Map.of("sid", "abc")))).isEqualTo("0/custom,{\"sid\":\"abc\"}");
        assertThat(text(SocketPacket.connect("/", null))).isEqualTo("0");
        assertThat(text(SocketPacket.connect("/custom", null))).isEqualTo("0/custom,");
    }

    @Test
    void encodesDisconnects() {
        assertThat(text(SocketPacket.disconnect("/"))).isEqualTo("1");
        assertThat(text(SocketPacket.disconnect("/chat"))).isEqualTo("1/chat,");
    }

    @Test
    void encodesEvents() {
        assertThat(text(SocketPacket.event("/", args("auth", Map.of())))).isEqualTo("2[\"auth\",{}]");
        assertThat(text(SocketPacket.event("/custom", args("auth", Map.of("token", "abc")))))
                .isEqualTo("2/custom,[\"auth\",{\"token\":\"abc\"}]");
        assertThat(text(SocketPacket.event("/", args("message-back", 1, "2", map("3", List.of(true))))))
                .isEqualTo("2[\"message-back\",1,\"2\",{\"3\":[true]}]");
    }

    @Test
    void encodesEventsThatAskForAnAck() {
        assertThat(text(SocketPacket.event("/", 0, args("q")))).isEqualTo("20[\"q\"]");
        assertThat(text(SocketPacket.event("/chat", 12, args("q", 1)))).isEqualTo("2/chat,12[\"q\",1]");
    }

    @Test
    void encodesAcks() {
        assertThat(text(SocketPacket.ack("/", 456, args(1, "2", map("3", List.of(false))))))
                .isEqualTo("3456[1,\"2\",{\"3\":[false]}]");
        assertThat(text(SocketPacket.ack("/chat", 7, List.of()))).isEqualTo("3/chat,7[]");
    }

    @Test
    void encodesConnectErrors() {
        assertThat(text(SocketPacket.connectError("/random", Map.of("message", "Invalid namespace"))))
                .isEqualTo("4/random,{\"message\":\"Invalid namespace\"}");
        assertThat(text(SocketPacket.connectError("/", map("message", "not authorized", "data", map("reason", "x")))))
                .isEqualTo("4{\"message\":\"not authorized\",\"data\":{\"reason\":\"x\"}}");
        assertThat(text(SocketPacket.connectError("/", "plain"))).isEqualTo("4\"plain\"");
    }

    @Test
    void writesAllPlainValueTypes() {
        Map<String, Object> object = map("z", 1, "a", null);
        List<Object> values = args("types", object, 2147483648L, BigInteger.TWO.pow(70), 1.5, 0.25f, (short) 3,
                (byte) 4, new BigDecimal("1.25"), true, false, new Object[]{"x", 1}, new LinkedHashSet<>(List.of("s")),
                "é\n\"\\\u0001😀");
        values.add(null);

        assertThat(text(SocketPacket.event("/", values))).isEqualTo("2[\"types\",{\"z\":1,\"a\":null},2147483648,"
                + "1180591620717411303424,1.5,0.25,3,4,1.25,true,false,[\"x\",1],[\"s\"],\"é\\n\\\"\\\\\\u0001😀\",null]");
    }

    @Test
    void writesNonFiniteNumbersAsNullLikeJsonStringify() {
        assertThat(text(SocketPacket.event("/", args("n", Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY))))
                .isEqualTo("2[\"n\",null,null,null]");
    }

    @Test
    void mapsWithNonStringKeysGoThroughTheMapper() {
        Map<Integer, String> byNumber = new TreeMap<>(Map.of(2, "b", 1, "a"));

        assertThat(text(SocketPacket.event("/", args("m", byNumber)))).isEqualTo("2[\"m\",{\"1\":\"a\",\"2\":\"b\"}]");
    }

    record Point(int x, int y) {
    }

    static final class Person {
        public String name = "Ada";
        public List<Point> points = List.of(new Point(1, 2));
    }

    @Test
    void serialisesPojosAndRecordsWithTheMapper() {
        assertThat(text(SocketPacket.event("/", args("p", new Person(), map("pt", new Point(3, 4))))))
                .isEqualTo("2[\"p\",{\"name\":\"Ada\",\"points\":[{\"x\":1,\"y\":2}]},{\"pt\":{\"x\":3,\"y\":4}}]");
    }

    @Test
    void staysOnOneLineEvenWhenTheMapperIndents() {
        SocketPacketEncoder indenting = new SocketPacketEncoder(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT));

        assertThat(indenting.encode(SocketPacket.event("/", args("p", new Point(1, 2), map("a", new Point(3, 4))))).text())
                .isEqualTo("2[\"p\",{\"x\":1,\"y\":2},{\"a\":{\"x\":3,\"y\":4}}]");
    }

    // --- binary ---

    @Test
    void upgradesAnEventWithBinaryToABinaryEvent() {
        EncodedPacket encoded = encoder.encode(SocketPacket.event("/", args("message-back", B010203, B040506)));

        assertThat(encoded.text()).isEqualTo("52-[\"message-back\"," + P0 + "," + P1 + "]");
        assertThat(encoded.attachments()).containsExactly(B010203, B040506);
        assertThat(encoded.hasAttachments()).isTrue();
    }

    @Test
    void upgradesAnAckWithBinaryToABinaryAck() {
        EncodedPacket encoded = encoder.encode(SocketPacket.ack("/", 789, args(B010203, B040506)));

        assertThat(encoded.text()).isEqualTo("62-789[" + P0 + "," + P1 + "]");
        assertThat(encoded.attachments()).containsExactly(B010203, B040506);
    }

    @Test
    void binaryEventsKeepNamespaceAndAckId() {
        EncodedPacket encoded = encoder.encode(SocketPacket.event("/chat", 5, args("up", B010203)));

        assertThat(encoded.text()).isEqualTo("51-/chat,5[\"up\"," + P0 + "]");
    }

    @Test
    void findsBinaryNestedInMapsListsAndArraysDepthFirst() {
        Object data = map("a", List.of(B010203, map("b", B040506)), "c", new Object[]{new byte[]{7}});

        EncodedPacket encoded = encoder.encode(SocketPacket.event("/", args("deep", data)));

        assertThat(encoded.text())
                .isEqualTo("53-[\"deep\",{\"a\":[" + P0 + ",{\"b\":" + P1 + "}],\"c\":[" + P2 + "]}]");
        assertThat(encoded.attachments()).containsExactly(B010203, B040506, new byte[]{7});
    }

    record Upload(String name, byte[] head, List<byte[]> parts, Map<String, Object> meta, ByteBuffer tail) {
    }

    static final class Envelope {
        public Upload upload;
        public byte[] signature;

        Envelope(Upload upload, byte[] signature) {
            this.upload = upload;
            this.signature = signature;
        }
    }

    @Test
    void findsBinaryNestedInRecordsAndPojos() {
        Upload upload = new Upload("f", new byte[]{1}, List.of(new byte[]{2}, new byte[]{3}),
                map("thumb", new byte[]{4}), ByteBuffer.wrap(new byte[]{5}));

        EncodedPacket encoded = encoder.encode(SocketPacket.event("/", args("upload", new Envelope(upload, new byte[]{6}))));

        assertThat(encoded.text()).isEqualTo("56-[\"upload\",{\"upload\":{\"name\":\"f\",\"head\":" + P0
                + ",\"parts\":[" + P1 + "," + P2 + "],\"meta\":{\"thumb\":{\"_placeholder\":true,\"num\":3}},"
                + "\"tail\":{\"_placeholder\":true,\"num\":4}},\"signature\":{\"_placeholder\":true,\"num\":5}}]");
        assertThat(encoded.attachments()).containsExactly(
                new byte[]{1}, new byte[]{2}, new byte[]{3}, new byte[]{4}, new byte[]{5}, new byte[]{6});
    }

    @Test
    void findsBinaryInJacksonTrees() {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("k", "v").put("bin", B010203);

        EncodedPacket encoded = encoder.encode(SocketPacket.event("/", args("tree", node)));

        assertThat(encoded.text()).isEqualTo("51-[\"tree\",{\"k\":\"v\",\"bin\":" + P0 + "}]");
        assertThat(encoded.attachments()).containsExactly(B010203);
    }

    @Test
    void sendsTheRemainingBytesOfAByteBufferWithoutConsumingIt() {
        ByteBuffer heap = ByteBuffer.wrap(new byte[]{9, 1, 2, 3, 9}, 1, 3);
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(B040506).flip();
        ByteBuffer slice = ByteBuffer.wrap(new byte[]{9, 9, 7, 8}).position(2).slice();
        Point inPojo = new Point(0, 0);

        EncodedPacket encoded = encoder.encode(SocketPacket.event("/", args("bufs", heap, direct, slice,
                map("p", inPojo, "b", new Holder(ByteBuffer.wrap(new byte[]{0, 1, 2}, 1, 2))))));

        assertThat(encoded.attachments()).containsExactly(B010203, B040506, new byte[]{7, 8}, new byte[]{1, 2});
        assertThat(heap.position()).isEqualTo(1);
        assertThat(direct.position()).isZero();
    }

    record Holder(ByteBuffer buffer) {
    }

    @Test
    void aBinaryTypedPacketWithoutBinaryIsSentAsThePlainType() {
        assertThat(text(new SocketPacket(SocketPacketType.BINARY_EVENT, "/", SocketPacket.NO_ID, args("a", 1))))
                .isEqualTo("2[\"a\",1]");
        assertThat(text(new SocketPacket(SocketPacketType.BINARY_ACK, "/x", 3, args())))
                .isEqualTo("3/x,3[]");
    }

    @Test
    void aBinaryTypedPacketWithBinaryIsSentWithItsAttachments() {
        EncodedPacket encoded = encoder.encode(new SocketPacket(SocketPacketType.BINARY_EVENT, "/", 1, args("a", B010203)));

        assertThat(encoded.text()).isEqualTo("51-1[\"a\"," + P0 + "]");
    }

    @Test
    void anEmptyByteArrayIsStillAnAttachment() {
        EncodedPacket encoded = encoder.encode(SocketPacket.event("/", args("e", new byte[0])));

        assertThat(encoded.text()).isEqualTo("51-[\"e\"," + P0 + "]");
        assertThat(encoded.attachments()).containsExactly(new byte[0]);
    }

    @Test
    void refusesBinaryInPacketsThatCannotCarryAttachments() {
        assertThatThrownBy(() -> encoder.encode(SocketPacket.connect("/", Map.of("b", B010203))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CONNECT packet cannot carry binary data");
        assertThatThrownBy(() -> encoder.encode(SocketPacket.connectError("/", Map.of("b", B010203))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- failures and sharing ---

    static final class Opaque {
        private final int hidden = 1;
    }

    @Test
    void reportsDataTheMapperCannotSerialise() {
        assertThatThrownBy(() -> encoder.encode(SocketPacket.event("/", args("x", new Opaque()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot serialise packet data");
    }

    @Test
    void reportsSelfReferencingDataInsteadOfOverflowingTheStack() {
        List<Object> loop = new ArrayList<>();
        loop.add("loop");
        loop.add(loop);

        assertThatThrownBy(() -> encoder.encode(SocketPacket.event("/", loop)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot serialise packet data");
    }

    @Test
    void encodedAttachmentsCannotBeReplaced() {
        EncodedPacket encoded = new EncodedPacket("51-[\"a\"," + P0 + "]", new ArrayList<>(List.of(B010203)));

        assertThatThrownBy(() -> encoded.attachments().add(B040506)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void oneEncoderServesManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        byte[] bytes = {(byte) thread, (byte) i};
                        EncodedPacket encoded = encoder.encode(SocketPacket.event("/", i, args("t" + thread,
                                new Point(thread, i), bytes)));
                        String expected = "51-" + i + "[\"t" + thread + "\",{\"x\":" + thread + ",\"y\":" + i + "}," + P0 + "]";
                        if (!encoded.text().equals(expected) || encoded.attachments().get(0) != bytes) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // --- packet invariants ---

    @Test
    void packetsRefuseInvalidNamespacesAndIds() {
        assertThatThrownBy(() -> SocketPacket.disconnect("chat")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocketPacket.disconnect("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocketPacket.disconnect("/a,b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocketPacket.ack("/", SocketPacket.NO_ID, args())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocketPacket.event("/", -2, args("a"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SocketPacket.event("/", 1L << 53, args("a"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SocketPacket(SocketPacketType.CONNECT, "/", 1, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SocketPacket(SocketPacketType.DISCONNECT, "/", SocketPacket.NO_ID, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SocketPacket(SocketPacketType.EVENT, "/", SocketPacket.NO_ID, "not a list"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void packetTypesRoundTripThroughTheirDigits() {
        for (SocketPacketType type : SocketPacketType.values()) {
            assertThat(SocketPacketType.fromCode(type.code())).isSameAs(type);
        }
        assertThat(SocketPacketType.fromCode('7')).isNull();
        assertThat(SocketPacketType.fromCode('a')).isNull();
        assertThat(SocketPacketType.fromCode('/')).isNull();
    }
}
