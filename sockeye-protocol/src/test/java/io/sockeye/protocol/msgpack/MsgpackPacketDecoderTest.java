package io.sockeye.protocol.msgpack;

import io.sockeye.protocol.ProtocolException;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Decoding the packets of socket.io-msgpack-parser 3.x: what is accepted, and every class of bad input. */
class MsgpackPacketDecoderTest {

    // {type: 2, nsp: "/", data: ["hello", "you"]}: the example of the parser's README
    private static final String README_EVENT = "83a474797065 02 a36e7370 a12f a464617461 92 a568656c6c6f a3796f75";

    private final MsgpackPacketDecoder decoder = new MsgpackPacketDecoder();

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** A packet map {type, nsp "/", data} around the hex of a data value. */
    private static String packet(int type, String dataHex) {
        return "83 a474797065 0" + type + " a36e7370 a12f a464617461 " + dataHex;
    }

    private SocketPacket decode(String hex) {
        return decoder.decode(bytes(hex));
    }

    /** The first argument after the event name of {@code 2["e", <value>]}. */
    private Object arg(String valueHex) {
        return decode(packet(2, "92 a165 " + valueHex)).args().get(1);
    }

    private void assertRejected(String hex, String rule) {
        assertThatThrownBy(() -> decode(hex)).as("decoding %s", hex)
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(rule);
    }

    @Test
    void decodesTheReadmeExample() {
        assertThat(decode(README_EVENT)).isEqualTo(SocketPacket.event("/", List.of("hello", "you")));
    }

    @Test
    void decodesWhatSocketIoClientSendsIgnoringItsOptionsKey() {
        // {type: 2, data: ["q"], options: {compress: true}, id: 0, nsp: "/chat"}
        SocketPacket packet = decode("85 a474797065 02 a464617461 91 a171 a76f7074696f6e73 81 a8636f6d7072657373 c3"
                + " a26964 00 a36e7370 a52f63686174");
        assertThat(packet).isEqualTo(SocketPacket.event("/chat", 0, List.of("q")));
    }

    @Test
    void decodesAConnectWithUndefinedDataAndAConnectWithAuth() {
        assertThat(decode("83 a474797065 00 a464617461 d40000 a36e7370 a12f")).isEqualTo(SocketPacket.connect("/", null));
        assertThat(decode("82 a474797065 00 a36e7370 a12f")).isEqualTo(SocketPacket.connect("/", null));
        assertThat(decode(packet(0, "81 a174 a161"))).isEqualTo(SocketPacket.connect("/", Map.of("t", "a")));
    }

    @Test
    void decodesAcksDisconnectsAndConnectErrors() {
        assertThat(decode("84 a474797065 03 a26964 cd0100 a464617461 91 01 a36e7370 a12f"))
                .isEqualTo(SocketPacket.ack("/", 256, List.of(1)));
        assertThat(decode("82 a474797065 01 a36e7370 a12f")).isEqualTo(SocketPacket.disconnect("/"));
        assertThat(decode(packet(4, "a3626164"))).isEqualTo(SocketPacket.connectError("/", "bad"));
    }

    @Test
    void readsNotepacksExtensionsUndefinedDateAndArrayBuffer() {
        assertThat(arg("d40000")).isNull();
        assertThat(arg("d400ff")).as("undefined whatever its data byte").isNull();
        assertThat(arg("d7000000018bcfe5687b")).isEqualTo(new Date(1700000000123L));
        assertThat(arg("c70300090807")).isEqualTo(new byte[]{9, 8, 7});
        assertThat(arg("c7080001020304050607 08")).as("ext 8 of length 8 is bytes, only fixext 8 a date")
                .isEqualTo(new byte[]{1, 2, 3, 4, 5, 6, 7, 8});
        assertThat(arg("c8000100 ff")).isEqualTo(new byte[]{(byte) 0xff});
        assertThat(arg("d50001 02")).isEqualTo(new byte[]{1, 2});
        Map<String, Object> undefinedValue = new LinkedHashMap<>();
        undefinedValue.put("u", null);
        assertThat(arg("81 a175 d40000")).isEqualTo(undefinedValue);
        assertThat(arg("92 d40000 c0")).isEqualTo(Arrays.asList(null, null));
    }

    @Test
    void readsEveryScalarForm() {
        assertThat(arg("c403010203")).isEqualTo(new byte[]{1, 2, 3});
        assertThat(arg("c5000101")).isEqualTo(new byte[]{1});
        assertThat(arg("c60000000101")).isEqualTo(new byte[]{1});
        assertThat(arg("cd ffff")).isEqualTo(65535);
        assertThat(arg("ce ffffffff")).isEqualTo(4294967295L);
        assertThat(arg("cf 001fffffffffffff")).isEqualTo(9007199254740991L);
        assertThat(arg("cf ffffffffffffffff")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(arg("d0 80")).isEqualTo(-128);
        assertThat(arg("d1 8000")).isEqualTo(-32768);
        assertThat(arg("d2 80000000")).isEqualTo(Integer.MIN_VALUE);
        assertThat(arg("d3 8000000000000000")).isEqualTo(Long.MIN_VALUE);
        assertThat(arg("ca 3fc00000")).isEqualTo(1.5);
        assertThat(arg("cb 3ff8000000000000")).isEqualTo(1.5);
        assertThat(arg("c2")).isEqualTo(false);
        assertThat(arg("d9 03 616263")).isEqualTo("abc");
        assertThat(arg("da 0003 616263")).isEqualTo("abc");
        assertThat(arg("db 00000003 616263")).isEqualTo("abc");
        assertThat(arg("dc 0001 01")).isEqualTo(List.of(1));
        assertThat(arg("dd 00000001 01")).isEqualTo(List.of(1));
        assertThat(arg("de 0001 a161 01")).isEqualTo(Map.of("a", 1));
        assertThat(arg("df 00000001 a161 01")).isEqualTo(Map.of("a", 1));
    }

    @Test
    void integralFloatsCountAsIntegersForTypeAndIdAsInJavaScript() {
        assertThat(decode("84 a474797065 cb4008000000000000 a26964 cb4000000000000000 a464617461 90 a36e7370 a12f"))
                .isEqualTo(SocketPacket.ack("/", 2, List.of()));
    }

    @Test
    void aRepeatedKeyOverridesTheEarlierOne() {
        assertThat(decode("84 a474797065 04 a474797065 02 a36e7370 a12f a464617461 91 a165").type())
                .isEqualTo(SocketPacketType.EVENT);
    }

    @Test
    void numbersMayNameEvents() {
        assertThat(decode(packet(2, "91 07")).args()).containsExactly(7);
    }

    // ---- bad input ----------------------------------------------------------------------------

    @Test
    void everyTruncationOfAValidPacketIsRejected() {
        byte[] whole = bytes("85 a474797065 02 a464617461 95 a165 cd0100 cb3ff8000000000000 c40201 02 d7000000018bcfe5687b"
                + " a26964 05 a6657874726173 81 a161 d40000 a36e7370 a12f");
        assertThat(decoder.decode(whole).args()).hasSize(5);
        for (int n = 0; n < whole.length; n++) {
            byte[] prefix = Arrays.copyOf(whole, n);
            assertThatThrownBy(() -> decoder.decode(prefix)).as("first %d bytes", n).isInstanceOf(ProtocolException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "92 02 a12f", "a474797065", "c0", "01"})
    void anythingButAMapIsRejected(String hex) {
        assertRejected(hex, "invalid");
    }

    @Test
    void trailingBytesAreRejected() {
        assertRejected(README_EVENT + " c0", "trailing bytes");
    }

    @ParameterizedTest
    @CsvSource({
            "a132, invalid packet type", // "2"
            "05, invalid packet type", // BINARY_EVENT does not exist in this parser
            "06, invalid packet type",
            "ff, invalid packet type",
            "cb4004000000000000, invalid packet type", // 2.5
            "c0, invalid packet type",
    })
    void aTypeThatIsNotAnIntegerFromZeroToFourIsRejected(String typeHex, String rule) {
        assertRejected("83 a474797065 " + typeHex + " a36e7370 a12f a464617461 91 a165", rule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "c0", "a0", "a3616263", "a32f612c"})
    void aNamespaceThatIsNotAStringStartingWithASlashIsRejected(String nspHex) {
        assertRejected("83 a474797065 02 a36e7370 " + nspHex + " a464617461 91 a165", "invalid namespace");
    }

    @Test
    void aMissingNamespaceIsRejected() {
        assertRejected("82 a474797065 02 a464617461 91 a165", "invalid namespace");
    }

    @ParameterizedTest
    @CsvSource({
            "0, 91 01", "0, c0", "0, a161", // CONNECT: a map or nothing
            "1, 80", "1, c0", // DISCONNECT: nothing
            "4, 91 01", "4, c0", "4, 01", // CONNECT_ERROR: a map or a string
            "2, 80", "2, a165", "2, c0", "3, 80", "3, c0", // EVENT, ACK: an array
    })
    void dataOfTheWrongShapeForTheTypeIsRejected(int type, String dataHex) {
        String id = type == 3 ? " a26964 01" : "";
        String hex = (type == 3 ? "84" : "83") + " a474797065 0" + type + " a36e7370 a12f a464617461 " + dataHex + id;
        assertRejected(hex, "invalid payload");
    }

    @Test
    void eventsNeedANameThatIsNotReserved() {
        assertRejected(packet(2, "90"), "non-empty array");
        assertRejected(packet(2, "91 c3"), "event name");
        assertRejected(packet(2, "91 aa646973636f6e6e656374"), "reserved event name 'disconnect'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a131", "ff", "cb3ff8000000000000", "cf0020000000000000", "c0"})
    void anAckIdThatIsNotAnIntegerFromZeroTo2Pow53Minus1IsRejected(String idHex) {
        assertRejected("84 a474797065 02 a36e7370 a12f a464617461 91 a165 a26964 " + idHex, "invalid packet id");
    }

    @Test
    void ackIdsGoWithEventsAndAcksOnly() {
        assertRejected("83 a474797065 03 a36e7370 a12f a464617461 90", "ACK needs an ack id");
        assertRejected("83 a474797065 01 a36e7370 a12f a26964 01", "DISCONNECT carries no ack id");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "db7fffffff 61", // str 32 of 2^31-1 bytes
            "dbffffffff 61", // str 32 of 2^32-1 bytes
            "c6ffffffff 00", // bin 32
            "ddffffffff 01", // array 32
            "dfffffffff a161 01", // map 32
            "dcffff 01", // array 16, 65535 elements in one byte
            "c9ffffffff00 00", // ext 32, type 0
    })
    void aDeclaredLengthLargerThanWhatIsLeftIsRejectedBeforeAnythingIsAllocated(String valueHex) {
        assertRejected(packet(2, "92 a165 " + valueHex), "invalid msgpack");
    }

    @Test
    void aDeclaredPacketMapLargerThanTheMessageIsRejected() {
        assertRejected("df7fffffff a474797065 02", "elements announced");
    }

    @Test
    void nestingDeeperThanTheLimitIsRejected() {
        MsgpackPacketDecoder shallow = new MsgpackPacketDecoder(3);
        // data ["e", [[1]]]: three levels deep
        assertThat(shallow.decode(bytes(packet(2, "92 a165 91 91 01"))).args()).hasSize(2);
        assertThatThrownBy(() -> shallow.decode(bytes(packet(2, "92 a165 91 91 91 01"))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("nested deeper than 3");
        String deep = "91".repeat(MsgpackPacketDecoder.DEFAULT_MAX_DEPTH + 10) + "01";
        assertRejected(packet(2, "92 a165 " + deep), "nested deeper than 1000");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "d40100", // fixext 1 of type 1
            "d6ff00000001", // the msgpack timestamp extension (-1), which notepack does not write
            "d7ff0000000000000001",
            "c70105 00", // ext 8 of type 5
            "d8010000000000000000000000000000000000",
    })
    void extensionTypesOtherThanNotepacksZeroAreRejected(String valueHex) {
        assertRejected(packet(2, "92 a165 " + valueHex), "extension type");
    }

    @Test
    void theNeverUsedByteIsRejected() {
        assertRejected(packet(2, "92 a165 c1"), "never used");
    }

    @Test
    void mapKeysMustBeStrings() {
        assertRejected(packet(2, "92 a165 81 01 02"), "key is not a string");
        assertRejected("83 01 02 a36e7370 a12f a464617461 91 a165", "key is not a string");
    }

    @Test
    void looksLikePacketAcceptsOnlyAMapHeader() {
        assertThat(MsgpackPacketDecoder.looksLikePacket(bytes(README_EVENT))).isTrue();
        assertThat(MsgpackPacketDecoder.looksLikePacket(bytes("de0000"))).isTrue();
        assertThat(MsgpackPacketDecoder.looksLikePacket(bytes("df00000000"))).isTrue();
        assertThat(MsgpackPacketDecoder.looksLikePacket(new byte[0])).isFalse();
        assertThat(MsgpackPacketDecoder.looksLikePacket(bytes("92"))).isFalse();
        assertThat(MsgpackPacketDecoder.looksLikePacket("40".getBytes())).isFalse(); // a JSON CONNECT, "40"
    }
}
