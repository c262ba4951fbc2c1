package io.sockeye.protocol.socket;

import io.sockeye.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Decoding the Socket.IO text without the Engine.IO "4" prefix (e.g. "2[...]" for the frame "42[...]"). */
class SocketPacketDecoderTest {

    private static final byte[] B010203 = {1, 2, 3};
    private static final byte[] B040506 = {4, 5, 6};

    private final SocketPacketDecoder decoder = new SocketPacketDecoder();

    private SocketPacket decode(String text) {
        SocketPacket packet = decoder.decodeText(text);
        assertThat(packet).as("complete packet for %s", text).isNotNull();
        return packet;
    }

    private void assertRejected(String text, String rule) {
        assertThatThrownBy(() -> new SocketPacketDecoder().decodeText(text))
                .as("decoding %s", text)
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(rule);
    }

    // --- CONNECT / DISCONNECT / CONNECT_ERROR ---

    @Test
    void decodesAConnectToTheMainNamespaceWithoutPayload() {
        assertThat(decode("0")).isEqualTo(SocketPacket.connect("/", null));
    }

    @Test
    void decodesAConnectWithAnAuthPayload() {
        assertThat(decode("0{\"token\":\"123\"}")).isEqualTo(SocketPacket.connect("/", Map.of("token", "123")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0/custom,", "0/custom"})
    void theNamespaceRunsToTheFirstCommaOrTheEndOfTheText(String text) {
        assertThat(decode(text)).isEqualTo(SocketPacket.connect("/custom", null));
    }

    @Test
    void decodesAConnectToACustomNamespaceWithAPayload() {
        assertThat(decode("0/custom,{\"token\":\"abc\"}"))
                .isEqualTo(SocketPacket.connect("/custom", Map.of("token", "abc")));
    }

    @Test
    void decodesDisconnects() {
        assertThat(decode("1")).isEqualTo(SocketPacket.disconnect("/"));
        assertThat(decode("1/custom")).isEqualTo(SocketPacket.disconnect("/custom"));
        assertThat(decode("1/custom,")).isEqualTo(SocketPacket.disconnect("/custom"));
    }

    @Test
    void decodesAConnectErrorWithAnObjectOrAString() {
        assertThat(decode("4/random,{\"message\":\"Invalid namespace\"}"))
                .isEqualTo(SocketPacket.connectError("/random", Map.of("message", "Invalid namespace")));
        assertThat(decode("4{\"message\":\"not authorized\",\"data\":{\"reason\":\"x\"}}").data())
                .isEqualTo(Map.of("message", "not authorized", "data", Map.of("reason", "x")));
        assertThat(decode("4\"plain text error\"").data()).isEqualTo("plain text error");
    }

    // --- EVENT / ACK ---

    @Test
    void decodesAPlainTextEvent() {
        SocketPacket packet = decode("2[\"message\",1,\"2\",{\"3\":[true]}]");

        assertThat(packet.type()).isEqualTo(SocketPacketType.EVENT);
        assertThat(packet.nsp()).isEqualTo("/");
        assertThat(packet.hasId()).isFalse();
        assertThat(packet.args()).containsExactly("message", 1, "2", Map.of("3", List.of(true)));
    }

    @Test
    void decodesAnEventThatAsksForAnAck() {
        SocketPacket packet = decode("2456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");

        assertThat(packet.id()).isEqualTo(456);
        assertThat(packet.args()).containsExactly("message-with-ack", 1, "2", Map.of("3", List.of(false)));
    }

    @Test
    void decodesNamespaceAndAckIdTogether() {
        SocketPacket packet = decode("2/chat,12[\"a\"]");

        assertThat(packet).isEqualTo(SocketPacket.event("/chat", 12, List.of("a")));
    }

    @Test
    void anEventNameMayBeANumber() {
        assertThat(decode("2[42,\"x\"]").args()).containsExactly(42, "x");
    }

    @Test
    void decodesAcksIncludingAnEmptyOne() {
        assertThat(decode("3456[1,\"2\",{\"3\":[false]}]"))
                .isEqualTo(SocketPacket.ack("/", 456, List.of(1, "2", Map.of("3", List.of(false)))));
        assertThat(decode("3/chat,7[]")).isEqualTo(SocketPacket.ack("/chat", 7, List.of()));
    }

    @Test
    void ackIdsMayHaveLeadingZerosAndReachTwoToThe53MinusOne() {
        assertThat(decode("2007[\"a\"]").id()).isEqualTo(7);
        assertThat(decode("29007199254740991[\"a\"]").id()).isEqualTo(9007199254740991L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void decodedValuesArePlainJavaWithKeyOrderKept() {
        SocketPacket packet = decode("2[\"types\",{\"z\":1,\"a\":2,\"m\":3},2147483648,1180591620717411303424,"
                + "1.5,-0.0,1e3,true,false,null,\"\\u00e9\\n😀\",[[]]]");

        List<Object> args = packet.args();
        assertThat(((Map<String, ?>) args.get(1)).keySet()).containsExactly("z", "a", "m");
        assertThat(args.get(1)).isInstanceOf(java.util.LinkedHashMap.class);
        assertThat(args).isInstanceOf(java.util.ArrayList.class);
        assertThat(args.get(2)).isEqualTo(2147483648L);
        assertThat(args.get(3)).isEqualTo(BigInteger.TWO.pow(70));
        assertThat(args.get(4)).isEqualTo(1.5);
        assertThat(args.get(5)).isEqualTo(-0.0);
        assertThat(args.get(6)).isEqualTo(1000.0);
        assertThat(args.subList(7, 10)).containsExactly(true, false, null);
        assertThat(args.get(10)).isEqualTo("é\n😀");
        assertThat(args.get(11)).isEqualTo(List.of(List.of()));
    }

    @Test
    void whitespaceAroundTheJsonIsAllowedAsJsonParseAllowsIt() {
        assertThat(decode("2 [\"a\"] \n").args()).containsExactly("a");
    }

    @Test
    void aPlaceholderInAPlainEventStaysAPlainObject() {
        SocketPacket packet = decode("2[\"a\",{\"_placeholder\":true,\"num\":0}]");

        assertThat(packet.args().get(1)).isEqualTo(Map.of("_placeholder", true, "num", 0));
    }

    // --- binary packets ---

    @Test
    void reassemblesABinaryEventFromItsTextAndAttachments() {
        assertThat(decoder.decodeText(
                "52-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")).isNull();
        assertThat(decoder.awaitingAttachments()).isTrue();
        assertThat(decoder.decodeBinary(B010203)).isNull();
        SocketPacket packet = decoder.decodeBinary(B040506);

        assertThat(decoder.awaitingAttachments()).isFalse();
        assertThat(packet.type()).isEqualTo(SocketPacketType.BINARY_EVENT);
        assertThat(packet.hasId()).isFalse();
        assertThat(packet.args()).hasSize(3);
        assertThat(packet.args().get(0)).isEqualTo("message");
        assertThat(packet.args().get(1)).isSameAs(B010203);
        assertThat(packet.args().get(2)).isSameAs(B040506);
    }

    @Test
    void reassemblesABinaryEventWithAnAckId() {
        decoder.decodeText("52-789[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},"
                + "{\"_placeholder\":true,\"num\":1}]");
        decoder.decodeBinary(B010203);
        SocketPacket packet = decoder.decodeBinary(B040506);

        assertThat(packet.id()).isEqualTo(789);
        assertThat(packet.args()).containsExactly("message-with-ack", B010203, B040506);
    }

    @Test
    void reassemblesABinaryAckInANamespace() {
        decoder.decodeText("61-/chat,3[{\"_placeholder\":true,\"num\":0}]");
        SocketPacket packet = decoder.decodeBinary(B010203);

        assertThat(packet.type()).isEqualTo(SocketPacketType.BINARY_ACK);
        assertThat(packet.nsp()).isEqualTo("/chat");
        assertThat(packet.id()).isEqualTo(3);
        assertThat(packet.args()).containsExactly(B010203);
    }

    @Test
    @SuppressWarnings("unchecked")
    void placeholdersAreFoundAtAnyDepthInAnyKeyOrderAndMayRepeat() {
        decoder.decodeText("52-[\"deep\",{\"a\":[1,{\"num\":1,\"_placeholder\":true}],\"b\":{\"_placeholder\":true,"
                + "\"num\":0}},[{\"_placeholder\":true,\"num\":1}]]");
        decoder.decodeBinary(B010203);
        SocketPacket packet = decoder.decodeBinary(B040506);

        Map<?, ?> object = (Map<?, ?>) packet.args().get(1);
        assertThat(((Map<String, ?>) object).keySet()).containsExactly("a", "b");
        assertThat((List<Object>) object.get("a")).containsExactly(1, B040506);
        assertThat(object.get("b")).isSameAs(B010203);
        assertThat((List<Object>) packet.args().get(2)).containsExactly(B040506);
    }

    @Test
    void aDuplicateKeyOverwritingAPlaceholderKeepsTheLaterValue() {
        decoder.decodeText("51-[\"dup\",{\"a\":{\"_placeholder\":true,\"num\":0},\"a\":5}]");
        SocketPacket packet = decoder.decodeBinary(B010203);

        assertThat(packet.args().get(1)).isEqualTo(Map.of("a", 5));
    }

    @Test
    void unusedAttachmentsAreStillAwaited() {
        assertThat(decoder.decodeText("52-[\"none\"]")).isNull();
        assertThat(decoder.decodeBinary(B010203)).isNull();
        assertThat(decoder.decodeBinary(B040506).args()).containsExactly("none");
    }

    @Test
    void acceptsExactlyTheMaximumNumberOfAttachments() {
        assertThat(decoder.decodeText("510-[\"ten\"]")).isNull();
        for (int i = 0; i < 9; i++) {
            assertThat(decoder.decodeBinary(B010203)).isNull();
        }
        assertThat(decoder.decodeBinary(B010203)).isNotNull();
    }

    @Test
    void resetDropsAPartlyReceivedPacket() {
        decoder.decodeText("52-[\"message\",{\"_placeholder\":true,\"num\":0}]");
        decoder.decodeBinary(B010203);
        decoder.reset();

        assertThat(decoder.awaitingAttachments()).isFalse();
        assertThat(decode("2[\"next\"]").args()).containsExactly("next");
    }

    @Test
    void theDecoderIsReusableAfterABinaryPacket() {
        decoder.decodeText("51-[\"bin\",{\"_placeholder\":true,\"num\":0}]");
        decoder.decodeBinary(B010203);

        assertThat(decode("2[\"text\"]").args()).containsExactly("text");
    }

    @Test
    void stringsLongerThanJacksonsDefaultLimitAreReadUpToThePacketLimit() {
        String huge = "y".repeat(21_000_000);
        SocketPacketDecoder large = new SocketPacketDecoder(DecoderLimits.of(10, 22_000_000));

        assertThat(large.decodeText("2[\"huge\",\"" + huge + "\"]").data()).isEqualTo(List.of("huge", huge));
    }

    @Test
    void decodesLargePayloadsAndThenSmallOnes() {
        String big = "x".repeat(100_000);
        assertThat(decode("2[\"big\",\"" + big + "\"]").args().get(1)).isEqualTo(big);
        assertThat(decode("2[\"small\"]").args()).containsExactly("small");
    }

    // --- invalid input ---

    @ParameterizedTest
    @ValueSource(strings = {"abc", "7", "9[\"a\"]", "/chat,", " 2[\"a\"]", "b"})
    void rejectsUnknownPacketTypes(String text) {
        assertRejected(text, "unknown packet type");
    }

    @Test
    void rejectsAnEmptyPacket() {
        assertRejected("", "empty packet");
    }

    @Test
    void rejectsAnEventWhosePayloadIsNotAnArray() {
        assertRejected("2{}", "EVENT needs");
        assertRejected("2\"message\"", "EVENT needs");
    }

    @Test
    void rejectsAnInvalidAckId() {
        assertRejected("2abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]", "invalid payload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"})
    void rejectsReservedEventNames(String name) {
        assertRejected("2[\"" + name + "\"]", "reserved event name '" + name + "'");
        assertRejected("51-[\"" + name + "\",{\"_placeholder\":true,\"num\":0}]", "reserved event name");
    }

    @Test
    void rejectsAnEmptyEventArray() {
        assertRejected("2[]", "non-empty array");
        assertRejected("21[]", "non-empty array");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2[{}]", "2[null]", "2[true]", "2[[\"a\"]]", "2[{\"a\":1},\"x\"]"})
    void rejectsAnEventNameThatIsNeitherAStringNorANumber(String text) {
        assertRejected(text, "event name must be a string or a number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2[\"a\"]x", "2[\"a\"]]", "2[\"a\"] [\"b\"]", "2[\"a\"]1", "0{}{}", "4\"a\"\"b\""})
    void rejectsTrailingDataAfterTheJson(String text) {
        assertRejected(text, "invalid payload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2[\"a\"", "2['a']", "2[\"a\",NaN]", "2[\"a\",01]", "2[\"a\",]", "2[\"a\" \"b\"]",
            "2[\"a\u0001\"]", "0{a:1}"})
    void rejectsInvalidJson(String text) {
        assertRejected(text, "invalid payload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0[]", "0\"x\"", "0null", "01", "0 "})
    void rejectsAConnectPayloadThatIsNotAnObject(String text) {
        assertRejected(text, "invalid p");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1{}", "1/chat,{}", "1 ", "1\"x\""})
    void rejectsADisconnectWithAPayload(String text) {
        assertRejected(text, "DISCONNECT carries no payload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4", "4[]", "4/chat,", "41", "4null"})
    void rejectsAConnectErrorWithoutAnObjectOrString(String text) {
        assertRejected(text, "invalid p");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "2/chat,", "212", "3", "37", "3{}", "3\"a\""})
    void rejectsAnEventOrAckWithoutItsArray(String text) {
        assertRejected(text, "invalid payload");
    }

    @Test
    void rejectsAnAckWithoutAnAckId() {
        assertRejected("3[\"a\"]", "ACK needs an ack id");
        assertRejected("61-[{\"_placeholder\":true,\"num\":0}]", "BINARY_ACK needs an ack id");
    }

    @Test
    void rejectsAnAckIdOnAPacketThatCannotCarryOne() {
        assertRejected("012{}", "CONNECT carries no ack id");
        assertRejected("4/chat,3\"x\"", "CONNECT_ERROR carries no ack id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"29007199254740992[\"a\"]", "2123456789012345678901[\"a\"]"})
    void rejectsAnAckIdAboveTwoToThe53MinusOne(String text) {
        assertRejected(text, "invalid ack id");
    }

    @Test
    void rejectsMoreThanTenAttachments() {
        assertRejected("511-[\"message\"]", "too many attachments");
        assertRejected("599999999999999999999-[\"message\"]", "too many attachments");
    }

    @Test
    void theAttachmentLimitIsConfigurable() {
        SocketPacketDecoder strict = new SocketPacketDecoder(2);

        assertThat(strict.decodeText("52-[\"ok\"]")).isNull();
        assertThatThrownBy(() -> new SocketPacketDecoder(2).decodeText("53-[\"no\"]"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("too many attachments: 3 > 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "5[\"a\"]", "5-[\"a\"]", "5a-[\"a\"]", "51[\"a\"]", "51", "6/chat,1-3[]"})
    void rejectsAMalformedAttachmentCount(String text) {
        assertRejected(text, "illegal attachments");
    }

    @Test
    void rejectsAZeroAttachmentCount() {
        assertRejected("50-[\"a\"]", "at least one");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"_placeholder\":true,\"num\":1}",
            "{\"_placeholder\":true,\"num\":-1}",
            "{\"_placeholder\":true,\"num\":\"0\"}",
            "{\"_placeholder\":true,\"num\":0.5}",
            "{\"_placeholder\":true}",
            "{\"_placeholder\":true,\"num\":4294967296}"})
    void rejectsAPlaceholderWhoseIndexIsOutOfRange(String placeholder) {
        assertRejected("51-[\"message\"," + placeholder + "]", "illegal attachments: placeholder num");
    }

    @Test
    void rejectsBinaryDataWhenNoPacketAwaitsIt() {
        assertThatThrownBy(() -> decoder.decodeBinary(B010203))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("got binary data when not reconstructing a packet");

        decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
        decoder.decodeBinary(B010203);
        assertThatThrownBy(() -> decoder.decodeBinary(B040506))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("got binary data when not reconstructing a packet");
    }

    @Test
    void rejectsTextWhileAttachmentsAreAwaited() {
        decoder.decodeText("52-[\"a\",{\"_placeholder\":true,\"num\":0}]");
        decoder.decodeBinary(B010203);

        assertThatThrownBy(() -> decoder.decodeText("2[\"b\"]"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("got plaintext data when reconstructing a packet");
    }

    @Test
    void rejectsAbsurdNestingWithoutOverflowingTheStack() {
        String deep = "[".repeat(5000) + "]".repeat(5000);

        assertRejected("2[\"deep\"," + deep + "]", "invalid payload");
    }

    @Test
    void rejectsANegativeAttachmentLimit() {
        assertThatThrownBy(() -> new SocketPacketDecoder(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
