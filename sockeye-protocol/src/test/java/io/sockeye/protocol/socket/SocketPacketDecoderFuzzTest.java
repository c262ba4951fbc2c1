package io.sockeye.protocol.socket;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sockeye.protocol.ProtocolException;
import io.sockeye.protocol.engine.EngineCodec;
import io.sockeye.protocol.engine.EnginePacket;
import io.sockeye.protocol.engine.EnginePacketType;
import io.sockeye.testkit.fuzz.FuzzContract;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Socket.IO packets, alone and with attachments. Contract: a packet (or "awaiting attachments") or a
 * {@link ProtocolException}, nothing else; a completed binary packet holds its attachments where its
 * placeholders were; what the decoder holds never exceeds what it was given; allocation in proportion
 * to the input. Seeds: the official Socket.IO suite's packets and the unit tests'.
 */
class SocketPacketDecoderFuzzTest {

    // Small enough for inputs to reach the limits, as a server with a 4 KB maxHttpBufferSize would be.
    private static final DecoderLimits LIMITS = DecoderLimits.of(DecoderLimits.DEFAULT_MAX_ATTACHMENTS, 4096);

    /** One packet's text (the Engine.IO message without its {@code 4}). */
    @FuzzTest
    void packetText(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        FuzzContract.boundedAllocation(input.length, 64, () -> {
            SocketPacketDecoder decoder = new SocketPacketDecoder(LIMITS);
            try {
                SocketPacket packet = decoder.decodeText(text);
                if (packet == null && decoder.pendingBytes() != text.length()) {
                    throw new AssertionError("a binary packet's text holds " + decoder.pendingBytes() + " bytes");
                }
                if (packet != null) {
                    checkNoPlaceholder(packet.data());
                }
            } catch (ProtocolException refused) {
                // the connection closes with "parse error"
            }
        });
    }

    /**
     * A polling body, as a client sends a binary event: {@code 45N-[...]} then one {@code b<base64>}
     * record per attachment. Every message goes to one decoder, in order, until it refuses one.
     */
    @FuzzTest
    void pollingPayloadWithAttachments(byte[] input) {
        FuzzContract.boundedAllocation(input.length, 64, () -> {
            List<EnginePacket> packets;
            try {
                packets = EngineCodec.decodePayload(input);
            } catch (ProtocolException refused) {
                return;
            }
            SocketPacketDecoder decoder = new SocketPacketDecoder(LIMITS);
            long given = 0;
            try {
                for (EnginePacket packet : packets) {
                    if (packet.type() != EnginePacketType.MESSAGE) {
                        continue;
                    }
                    SocketPacket decoded;
                    if (packet.isBinary()) {
                        given += packet.binary().length;
                        decoded = decoder.decodeBinary(packet.binary());
                    } else {
                        given += packet.text().length();
                        decoded = decoder.decodeText(packet.text());
                    }
                    if (decoder.pendingBytes() > given) {
                        throw new AssertionError("decoder holds " + decoder.pendingBytes() + " of " + given + " bytes");
                    }
                    if (decoded != null) {
                        checkNoPlaceholder(decoded.data());
                    }
                }
            } catch (ProtocolException refused) {
                // the connection closes with "parse error"
            }
        });
    }

    // A completed packet carries its attachments (byte[]) where the placeholders were.
    private static void checkNoPlaceholder(Object value) {
        if (value instanceof PayloadReader.Placeholder) {
            throw new AssertionError("a placeholder was left in a completed packet");
        } else if (value instanceof List<?> list) {
            list.forEach(SocketPacketDecoderFuzzTest::checkNoPlaceholder);
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(SocketPacketDecoderFuzzTest::checkNoPlaceholder);
        }
    }
}
