package io.sockeye.protocol.socket;

import io.sockeye.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The limits checked while a packet's bytes are read, before any value is built from them. */
class DecoderLimitsTest {

    private final SocketPacketDecoder decoder = new SocketPacketDecoder();

    @Test
    void aNumberOf500000DigitsIsRefusedByItsLengthBeforeAnyConversion() {
        String packet = "2[\"n\"," + "7".repeat(500_000) + "]";
        // Jackson measures the token while reading it; converting it is what would take seconds.
        assertThatThrownBy(() -> decoder.decodeText(packet))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("Number value length (500000) exceeds the maximum allowed (1000");
    }

    @Test
    void aNumberAtTheLimitIsRead() {
        String digits = "9".repeat(DecoderLimits.MAX_NUMBER_LENGTH);
        SocketPacket packet = decoder.decodeText("2[\"n\"," + digits + "]");
        assertThat(((List<?>) packet.data()).get(1)).isEqualTo(new BigInteger(digits));
    }

    @Test
    void aPacketLongerThanItsLimitIsRefusedBeforeParsing() {
        SocketPacketDecoder small = new SocketPacketDecoder(DecoderLimits.of(10, 100));
        String packet = "2[\"s\",\"" + "x".repeat(100) + "\"]";
        assertThatThrownBy(() -> small.decodeText(packet))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("packet too large: " + packet.length() + " characters > 100");
    }

    @Test
    void aStringAsLongAsTheLargestMessageIsRead() {
        String text = "x".repeat(DecoderLimits.DEFAULT_MAX_PACKET_LENGTH - 10);
        SocketPacket packet = decoder.decodeText("2[\"s\",\"" + text + "\"]");
        assertThat(((List<?>) packet.data()).get(1)).isEqualTo(text);
    }

    @Test
    void nestingDeeperThanTheLimitIsRefused() {
        int depth = DecoderLimits.MAX_NESTING_DEPTH;
        // the event's own array is the first level
        String atLimit = "2[\"d\"," + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "]";
        assertThat(decoder.decodeText(atLimit)).isNotNull();
        String deeper = "2[\"d\"," + "[".repeat(depth) + "]".repeat(depth) + "]";
        assertThatThrownBy(() -> decoder.decodeText(deeper))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void pendingBytesCountTheTextAndTheAttachmentsReceivedSoFar() {
        String text = "52-[\"up\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]";
        assertThat(decoder.decodeText(text)).isNull();
        assertThat(decoder.pendingBytes()).isEqualTo(text.length());
        assertThat(decoder.decodeBinary(new byte[30])).isNull();
        assertThat(decoder.pendingBytes()).isEqualTo(text.length() + 30);
        assertThat(decoder.decodeBinary(new byte[5])).isNotNull();
        assertThat(decoder.pendingBytes()).isZero();
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> DecoderLimits.of(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DecoderLimits.of(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(DecoderLimits.of(1, Long.MAX_VALUE).maxPacketLength()).isEqualTo(Integer.MAX_VALUE);
    }
}
