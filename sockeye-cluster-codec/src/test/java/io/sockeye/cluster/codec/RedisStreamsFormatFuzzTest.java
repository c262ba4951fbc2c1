package io.sockeye.cluster.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sockeye.core.adapter.ClusterMessage;
import io.sockeye.testkit.fuzz.FuzzContract;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a Redis Streams cluster reads from Redis: the {@code data} field of a stream entry (JSON, or
 * base64 of msgpack) and a recovery session value. Contract: a value (or {@code null} for an entry of
 * no interest) or a {@link ClusterCodecException}, nothing else; allocation in proportion to the input.
 * Seeds: what a Node.js node with the streams adapter wrote.
 */
class RedisStreamsFormatFuzzTest {

    private static final RedisStreamsFormat FORMAT = new RedisStreamsFormat(new ClusterMessageCodec(), false);
    private static final int BYTES_PER_INPUT_BYTE = 256;

    /** A broadcast entry's {@code data} field. */
    @FuzzTest
    void decodeEntry(byte[] input) {
        Map<String, byte[]> fields = new LinkedHashMap<>();
        fields.put(RedisStreamsFormat.UID, "0585fe9b370536bf".getBytes(StandardCharsets.US_ASCII));
        fields.put(RedisStreamsFormat.NSP, "/".getBytes(StandardCharsets.US_ASCII));
        fields.put(RedisStreamsFormat.TYPE, "3".getBytes(StandardCharsets.US_ASCII));
        fields.put(RedisStreamsFormat.DATA, input);
        FuzzContract.boundedAllocation(input.length, BYTES_PER_INPUT_BYTE, () -> {
            try {
                ClusterMessage message = FORMAT.decodeEntry(fields);
                if (message != null) {
                    assertThat(FORMAT.decodeEntry(FORMAT.entry(message)).type()).isEqualTo(message.type());
                }
            } catch (ClusterCodecException refused) {
                // counted as a receive error and dropped
            }
        });
    }

    /** A {@code sio:session:<pid>} value. */
    @FuzzTest
    void decodeSession(byte[] input) {
        FuzzContract.boundedAllocation(input.length, BYTES_PER_INPUT_BYTE, () -> {
            try {
                RedisStreamsFormat.Session session = FORMAT.decodeSession(input);
                String again = FORMAT.encodeSession(session);
                assertThat(FORMAT.decodeSession(again.getBytes(StandardCharsets.US_ASCII)).pid()).isEqualTo(session.pid());
            } catch (ClusterCodecException refused) {
                // recovery answers recovered:false
            }
        });
    }
}
