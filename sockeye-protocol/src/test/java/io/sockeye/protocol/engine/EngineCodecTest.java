package io.sockeye.protocol.engine;

import io.sockeye.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineCodecTest {

    private static final byte[] BYTES_1234 = {1, 2, 3, 4};

    @Test
    void decodesTheOpenPacketOfAHandshake() {
        String open = "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":300,"
                + "\"pingTimeout\":200,\"maxPayload\":1000000}";

        EnginePacket packet = EngineCodec.decodeText(open);

        assertThat(packet.type()).isEqualTo(EnginePacketType.OPEN);
        assertThat(packet.text()).startsWith("{\"sid\":\"lv_VI97HAXpY6yYWAAAC\"").endsWith("1000000}");
        assertThat(EngineCodec.encodeText(packet)).isEqualTo(open);
    }

    @Test
    void encodesHeartbeatUpgradeAndControlPacketsAsSingleDigits() {
        assertThat(EngineCodec.encodeText(EnginePacket.CLOSE)).isEqualTo("1");
        assertThat(EngineCodec.encodeText(EnginePacket.PING)).isEqualTo("2");
        assertThat(EngineCodec.encodeText(EnginePacket.PONG)).isEqualTo("3");
        assertThat(EngineCodec.encodeText(EnginePacket.UPGRADE)).isEqualTo("5");
        assertThat(EngineCodec.encodeText(EnginePacket.NOOP)).isEqualTo("6");
    }

    @Test
    void decodesProbePingAndAnswersWithProbePong() {
        EnginePacket probe = EngineCodec.decodeText("2probe");

        assertThat(probe.type()).isEqualTo(EnginePacketType.PING);
        assertThat(probe.text()).isEqualTo("probe");
        assertThat(EngineCodec.encodeText(EnginePacket.text(EnginePacketType.PONG, probe.text()))).isEqualTo("3probe");
    }

    @Test
    void decodesBareControlPacketsWithEmptyText() {
        for (String digit : List.of("1", "2", "3", "5", "6")) {
            EnginePacket packet = EngineCodec.decodeText(digit);
            assertThat(packet.type().code()).isEqualTo(digit.charAt(0));
            assertThat(packet.text()).isEmpty();
            assertThat(packet.isBinary()).isFalse();
        }
    }

    @Test
    void decodesAndEncodesAPlainTextMessage() {
        EnginePacket packet = EngineCodec.decodeText("4hello");

        assertThat(packet.type()).isEqualTo(EnginePacketType.MESSAGE);
        assertThat(packet.text()).isEqualTo("hello");
        assertThat(EngineCodec.encodeText(EnginePacket.message("hello"))).isEqualTo("4hello");
        assertThat(EngineCodec.encodeForPolling(EnginePacket.message("hello"))).isEqualTo("4hello");
    }

    @Test
    void aMessageMayBeEmpty() {
        EnginePacket packet = EngineCodec.decodeText("4");

        assertThat(packet.type()).isEqualTo(EnginePacketType.MESSAGE);
        assertThat(packet.text()).isEmpty();
    }

    @Test
    void decodesAPollingPayloadOfSeveralTextPackets() {
        List<EnginePacket> packets = EngineCodec.decodePayload("4test1\u001e4test2\u001e4test3");

        assertThat(packets).extracting(EnginePacket::type).containsOnly(EnginePacketType.MESSAGE);
        assertThat(packets).extracting(EnginePacket::text).containsExactly("test1", "test2", "test3");
    }

    @Test
    void encodesSeveralTextPacketsIntoOnePollingPayload() {
        String body = EngineCodec.encodePayload(List.of(
                EnginePacket.message("test1"), EnginePacket.message("test2"), EnginePacket.message("test3")));

        assertThat(body).isEqualTo("4test1\u001e4test2\u001e4test3");
    }

    @Test
    void decodesAPollingPayloadMixingTextAndBase64Binary() {
        List<EnginePacket> packets = EngineCodec.decodePayload("4hello\u001ebAQIDBA==");

        assertThat(packets).hasSize(2);
        assertThat(packets.get(0).text()).isEqualTo("hello");
        assertThat(packets.get(1).type()).isEqualTo(EnginePacketType.MESSAGE);
        assertThat(packets.get(1).isBinary()).isTrue();
        assertThat(packets.get(1).binary()).containsExactly(BYTES_1234);
    }

    @Test
    void encodesBinaryForPollingAsBase64WithTheBPrefixReplacingTheTypeDigit() {
        String body = EngineCodec.encodePayload(List.of(
                EnginePacket.message("hello"), EnginePacket.binaryMessage(BYTES_1234)));

        assertThat(body).isEqualTo("4hello\u001ebAQIDBA==");
        assertThat(EngineCodec.encodeForPolling(EnginePacket.binaryMessage(BYTES_1234))).isEqualTo("bAQIDBA==");
    }

    @Test
    void acceptsBase64WithoutPadding() {
        EnginePacket packet = EngineCodec.decodePollingRecord("bAQIDBA");

        assertThat(packet.binary()).containsExactly(BYTES_1234);
    }

    @Test
    void anEmptyBinaryMessageSurvivesPolling() {
        String record = EngineCodec.encodeForPolling(EnginePacket.binaryMessage(new byte[0]));

        assertThat(record).isEqualTo("b");
        assertThat(EngineCodec.decodePollingRecord(record).binary()).isEmpty();
    }

    @Test
    void aWebSocketBinaryFrameIsAlwaysAMessageWithoutPrefix() {
        EnginePacket packet = EngineCodec.decodeBinary(BYTES_1234);

        assertThat(packet.type()).isEqualTo(EnginePacketType.MESSAGE);
        assertThat(packet.binary()).containsExactly(BYTES_1234);
        assertThat(packet.text()).isNull();
    }

    @Test
    void refusesToEncodeABinaryPacketAsATextFrame() {
        assertThatThrownBy(() -> EngineCodec.encodeText(EnginePacket.binaryMessage(BYTES_1234)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyMessagePacketsCarryBinary() {
        assertThatThrownBy(() -> new EnginePacket(EnginePacketType.PING, null, BYTES_1234))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodesAPayloadGivenAsUtf8Bytes() {
        byte[] body = "4héllo ✓\u001e4😀".getBytes(StandardCharsets.UTF_8);

        assertThat(EngineCodec.decodePayload(body)).extracting(EnginePacket::text).containsExactly("héllo ✓", "😀");
    }

    @ParameterizedTest
    @EnumSource(EnginePacketType.class)
    void everyTypeRoundTripsThroughItsDigit(EnginePacketType type) {
        EnginePacket packet = EnginePacket.text(type, "data");

        assertThat(EnginePacketType.fromCode(type.code())).isSameAs(type);
        assertThat(EngineCodec.decodeText(EngineCodec.encodeText(packet))).isEqualTo(packet);
        assertThat(EngineCodec.decodePayload(EngineCodec.encodePayload(List.of(packet, packet))))
                .containsExactly(packet, packet);
    }

    @Test
    void rejectsAnInvalidPacketFormat() {
        assertThatThrownBy(() -> EngineCodec.decodeText("abc"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown packet type 'a'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "9hello", "/", " 4hello", "bAQIDBA=="})
    void rejectsUnknownPacketTypes(String frame) {
        // a WebSocket text frame never carries the polling-only "b" binary form
        assertThatThrownBy(() -> EngineCodec.decodeText(frame))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown packet type");
    }

    @Test
    void rejectsAnEmptyPacket() {
        assertThatThrownBy(() -> EngineCodec.decodeText(""))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("empty packet");
    }

    @Test
    void toleratesWhitespaceInBase64LikeTheJavaClientSends() {
        assertThat(EngineCodec.decodePollingRecord("bAQID\n").binary()).containsExactly(1, 2, 3);
        assertThat(EngineCodec.decodePollingRecord("bAQ ID\r\n").binary()).containsExactly(1, 2, 3);
    }

    @Test
    void rejectsInvalidBase64InAPollingRecord() {
        assertThatThrownBy(() -> EngineCodec.decodePollingRecord("b!!!"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("base64");
    }

    @Test
    void rejectsAPollingPayloadWithAnInvalidRecordAnywhere() {
        assertThatThrownBy(() -> EngineCodec.decodePayload("4ok\u001eabc\u001e4ok"))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> EngineCodec.decodePayload("abc"))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void rejectsEmptyRecordsInAPollingPayload() {
        assertThatThrownBy(() -> EngineCodec.decodePayload("4ok\u001e"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("empty packet");
        assertThatThrownBy(() -> EngineCodec.decodePayload("4ok\u001e\u001e4ok"))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> EngineCodec.decodePayload(""))
                .isInstanceOf(ProtocolException.class);
    }
}
