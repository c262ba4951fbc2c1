package io.sockeye.cluster.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.testkit.fuzz.FuzzContract;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way bytes from a bus enter this codec. Contract: a message (or {@code null} for an unknown
 * type or no namespace) or a {@link ClusterCodecException}, nothing else; a message that decodes
 * encodes again and decodes to a message of the same kind; allocation in proportion to the input
 * (a length the input announces never allocates). No Netty buffers are involved: bytes in, records
 * out. Seeds: the bytes Node.js nodes published, and every message type in both encodings.
 */
class ClusterMessageCodecFuzzTest {

    private static final ClusterMessageCodec CODEC = new ClusterMessageCodec();
    /** Decoded trees cost tens of bytes per byte on the wire (a map entry, a String, a boxed number). */
    private static final int BYTES_PER_INPUT_BYTE = 256;

    /** A JSON message: what a bus delivers when its first byte is {@code '{'}. */
    @FuzzTest
    void decodeJsonMessage(byte[] input) {
        byte[] json = input.length > 0 && input[0] == '{' ? input : withBrace(input);
        FuzzContract.boundedAllocation(json.length, BYTES_PER_INPUT_BYTE, () -> {
            try {
                roundTrips(CODEC.decode(json));
            } catch (ClusterCodecException refused) {
                // counted as a receive error and dropped
            }
        });
    }

    /** A msgpack message: what a bus delivers when its first byte is anything else. */
    @FuzzTest
    void decodeMsgpackMessage(byte[] input) {
        FuzzContract.boundedAllocation(input.length, BYTES_PER_INPUT_BYTE, () -> {
            try {
                roundTrips(CODEC.fromWire(MsgPack.decode(input)));
            } catch (ClusterCodecException refused) {
                // counted as a receive error and dropped
            }
        });
    }

    /** Plain msgpack values, as the classic Redis format's broadcasts and binary requests hold them. */
    @FuzzTest
    void decodeMsgpackValue(byte[] input) {
        FuzzContract.boundedAllocation(input.length, BYTES_PER_INPUT_BYTE, () -> {
            try {
                MsgPack.decode(input);
            } catch (ClusterCodecException refused) {
                // counted as a receive error and dropped
            }
        });
    }

    private static byte[] withBrace(byte[] input) {
        byte[] json = new byte[input.length + 1];
        json[0] = '{';
        System.arraycopy(input, 0, json, 1, input.length);
        return json;
    }

    /**
     * What decodes is a message the codec can write (as a node relaying it would), and what it writes
     * reads back as a message of the same kind from the same sender.
     */
    private static void roundTrips(ClusterMessage message) {
        if (message == null) {
            return;
        }
        ClusterMessage decoded = CODEC.decode(CODEC.encode(message));
        assertThat(decoded.uid()).isEqualTo(message.uid());
        assertThat(decoded.nsp()).isEqualTo(message.nsp());
        assertThat(decoded.type()).isEqualTo(message.type());
    }
}
