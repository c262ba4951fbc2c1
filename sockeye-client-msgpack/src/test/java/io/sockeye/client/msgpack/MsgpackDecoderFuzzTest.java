package io.sockeye.client.msgpack;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.socket.parser.DecodingException;
import io.socket.parser.Packet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the Java client's msgpack decoder. Seeds (in {@code MsgpackDecoderFuzzTestInputs}):
 * the packets a Node.js socket.io server with socket.io-msgpack-parser sends, captured live (the same
 * as the server decoder's seeds).
 */
class MsgpackDecoderFuzzTest {

    /** Contract: a packet or {@link DecodingException} (which the client logs and drops), for any bytes. */
    @FuzzTest
    void decode(byte[] input) {
        Packet<Object> packet;
        try {
            packet = MsgpackDecoder.decode(input);
        } catch (DecodingException expected) {
            return;
        }
        assertThat(packet.nsp).isNotNull();
        // what was decoded encodes again
        assertThat(new MsgpackEncoder().encode(packet)).isNotEmpty();
    }
}
