package io.sockeye.adapter.redis.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.cluster.codec.ClusterCodecException;
import io.sockeye.testkit.fuzz.FuzzContract;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The classic redis-adapter format, one target per channel kind a node decodes: broadcasts (msgpack),
 * requests and responses (JSON or msgpack), and the room a broadcast channel's name designates.
 * Contract: a value or {@code null} (not ours, or of no kind we wait for) or a
 * {@link ClusterCodecException}, nothing else; allocation in proportion to the input. Seeds: the bytes
 * a Node.js node with {@code @socket.io/redis-adapter} 8.3 published, and the legacy and emitter forms.
 */
class ClassicCodecFuzzTest {

    private static final ClassicCodec CODEC = new ClassicCodec("socket.io", "/", "MeMeMe", false, new ObjectMapper());

    @FuzzTest
    void decodeBroadcast(byte[] input) {
        check(input.length, () -> CODEC.decodeBroadcast(input));
    }

    @FuzzTest
    void decodeRequest(byte[] input) {
        check(input.length, () -> CODEC.decodeRequest(input));
    }

    @FuzzTest
    void decodeResponse(byte[] input) {
        check(input.length, () -> CODEC.decodeResponse(input));
    }

    /** Channel names come from Redis for the broadcast pattern; any name must give a room, "" or null. */
    @FuzzTest
    void roomOfBroadcastChannel(byte[] input) {
        String channel = "socket.io#/#" + new String(input, StandardCharsets.UTF_8);
        check(input.length, () -> CODEC.roomOf(channel));
    }

    private static void check(int inputLength, Callable<?> decode) {
        FuzzContract.boundedAllocation(inputLength, 256, () -> {
            try {
                decode.call();
            } catch (ClusterCodecException refused) {
                // counted as a receive error and dropped
            } catch (Exception e) {
                throw new AssertionError("not the codec's documented exception", e);
            }
        });
    }
}
