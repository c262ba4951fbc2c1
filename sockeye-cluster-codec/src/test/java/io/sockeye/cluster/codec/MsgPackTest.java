package io.sockeye.cluster.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** notepack.io 3 compatibility, byte for byte (docs/protocol-notes.md, "Cluster messages"). */
class MsgPackTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Move(String piece, byte[] board, double weight) {
    }

    private static String hex(Object value) {
        return HexFormat.of().formatHex(MsgPack.encode(value, MAPPER));
    }

    private static Object decode(String hex) {
        return MsgPack.decode(HexFormat.of().parseHex(hex));
    }

    @Test
    void writesIntegersInTheSmallestForm() {
        assertThat(hex(List.of(0, 127, 128, 255, 256, 65535, 65536, 4294967296L))).isEqualTo(
                "98" + "00" + "7f" + "cc80" + "ccff" + "cd0100" + "cdffff" + "ce00010000" + "cf0000000100000000");
        assertThat(hex(List.of(-1, -32, -33, -128, -129, -32768, -32769))).isEqualTo(
                "97" + "ff" + "e0" + "d0df" + "d080" + "d1ff7f" + "d18000" + "d2ffff7fff");
    }

    @Test
    void writesFractionsAsFloat64AndIntegralDoublesAsIntegersLikeJavaScript() {
        assertThat(hex(1.5)).isEqualTo("cb3ff8000000000000");
        assertThat(hex(2.0)).isEqualTo("02");
        assertThat(hex(-3.0f)).isEqualTo("fd");
        assertThat(hex(Double.NaN)).isEqualTo("cb7ff8000000000000");
    }

    @Test
    void writesStringsWithFixstrThenStr8() {
        assertThat(hex("hello")).isEqualTo("a568656c6c6f");
        assertThat(hex("x".repeat(32))).startsWith("d920");
        assertThat(hex("é")).isEqualTo("a2c3a9");
    }

    @Test
    void writesBinaryAsBinEvenFromAByteBufferWithoutConsumingIt() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[]{9, 1, 2, 3}).position(1);
        assertThat(hex(new byte[]{1, 2, 3})).isEqualTo("c403010203");
        assertThat(hex(buffer)).isEqualTo("c403010203");
        assertThat(buffer.position()).isEqualTo(1);
    }

    @Test
    void keepsMapKeyOrderAndWritesNullAsNil() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("b", 1);
        map.put("a", null);
        assertThat(hex(map)).isEqualTo("82a16201a161c0");
    }

    @Test
    void writesDatesAsTimestampExtension() {
        assertThat(hex(Instant.ofEpochSecond(1))).isEqualTo("d6ff00000001");
    }

    @Test
    void convertsPojosWithTheMapperKeepingTheirBinaryFields() {
        assertThat(hex(new Move("k", new byte[]{7}, 1.25)))
                .isEqualTo("83a57069656365" + "a16b" + "a5626f617264c40107" + "a6776569676874cb3ff4000000000000");
    }

    @Test
    void decodesToPlainJavaValues() {
        assertThat(decode("93a6796247625435c0c3")).isEqualTo(Arrays.asList("ybGbT5", null, true));
        assertThat(decode("82a161cc80a162cb3ff8000000000000")).isEqualTo(Map.of("a", 128, "b", 1.5));
        assertThat(decode("cf0000000100000000")).isEqualTo(4294967296L);
        assertThat(decode("cfffffffffffffffff")).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat((byte[]) decode("c403010203")).containsExactly(1, 2, 3);
    }

    @Test
    void refusesLengthsBeyondTheMessage() {
        assertThatThrownBy(() -> decode("dd7fffffff"))
                .isInstanceOf(ClusterCodecException.class).hasMessageContaining("exceeds the message");
        assertThatThrownBy(() -> decode("c6ffffff00"))
                .isInstanceOf(ClusterCodecException.class);
    }

    @Test
    void refusesADeclaredLengthOfTwoGigabytesWithoutAllocatingIt() {
        // str32, bin32, array32, map32 and ext32 each announcing 2^31 - 1 bytes or elements.
        for (String header : List.of("db7fffffff", "c67fffffff", "dd7fffffff", "df7fffffff", "c97fffffff01")) {
            byte[] bytes = HexFormat.of().parseHex(header + "a161");
            assertThatThrownBy(() -> MsgPack.decode(bytes)).as(header)
                    .isInstanceOf(ClusterCodecException.class).hasMessageContaining("exceeds the message");
            assertThat(allocatedBy(() -> MsgPack.decode(bytes))).as("bytes allocated for %s", header)
                    .isLessThan(64 * 1024);
        }
    }

    @Test
    void keepsAllocationSmallForContainersAnnouncingAsManyElementsAsThereAreBytesLeft() {
        byte[] nested = HexFormat.of().parseHex("dc0400".repeat(470)); // [[[… each announcing 1024 elements

        assertThatThrownBy(() -> MsgPack.decode(nested)).isInstanceOf(ClusterCodecException.class);
        assertThat(allocatedBy(() -> MsgPack.decode(nested))).isLessThan(64 * 1024);
    }

    @Test
    void refusesAContainerAsAMapKeyInsteadOfSpellingItOut() {
        // {[[…[nil]…]]: 1}: as text, a deep key costs its depth times its size.
        byte[] key = HexFormat.of().parseHex("81" + "91".repeat(400) + "c0" + "01");

        assertThatThrownBy(() -> MsgPack.decode(key))
                .isInstanceOf(ClusterCodecException.class).hasMessageContaining("map key");
        assertThat(decode("83" + "a16101" + "02a162" + "c3c0")).isEqualTo(mapOf("a", 1, "2", "b", "true", null));
    }

    private static Map<String, Object> mapOf(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void refusesNestingDeeperThanTheLimitInsteadOfOverflowingTheStack() {
        byte[] deep = new byte[100_000];
        Arrays.fill(deep, (byte) 0x91); // [[[[…
        assertThatThrownBy(() -> MsgPack.decode(deep))
                .isInstanceOf(ClusterCodecException.class).hasMessageContaining("nested deeper");
        byte[] deepMaps = new byte[100_000];
        for (int i = 0; i < deepMaps.length; i += 2) {
            deepMaps[i] = (byte) 0x81; // {"": {"": …
            deepMaps[i + 1] = (byte) 0xa0;
        }
        assertThatThrownBy(() -> MsgPack.decode(deepMaps)).isInstanceOf(ClusterCodecException.class);
    }

    @Test
    void refusesEveryMalformedInputWithTheCodecsException() {
        for (String hex : List.of("", "c1", "92a161", "a5616263", "d6ff0000", "c7ff0000", "cf00", "d70000")) {
            assertThatThrownBy(() -> decode(hex)).as(hex).isInstanceOf(ClusterCodecException.class);
        }
    }

    @Test
    void decodesTimestampsToTheIsoStringJavaScriptWouldSendAndOldUndefinedToNull() {
        assertThat(decode("d6ff00000001")).isEqualTo("1970-01-01T00:00:01.000Z");
        assertThat(decode("92d40000a161")).isEqualTo(Arrays.asList(null, "a"));
        // timestamp 64 (nanoseconds 500,000,000 << 34 | seconds 1) and 96 (negative seconds)
        assertThat(decode("d7ff7735940000000001")).isEqualTo("1970-01-01T00:00:01.500Z");
        assertThat(decode("c70cff00000000ffffffffffffffff")).isEqualTo("1969-12-31T23:59:59.000Z");
    }

    @Test
    void decodesDatesBeyondWhatJavaScriptCanHoldToNull() {
        // timestamp 96 with 2^63 - 1 seconds: a JavaScript Date of that is invalid, JSON.stringify gives null.
        assertThat(decode("c70cff000000007fffffffffffffff")).isNull();
        assertThat(decode("c70cff000000008000000000000000")).as("-2^63 seconds").isNull();
    }

    /** Bytes allocated on this thread by {@code decode}; its exception, asserted separately, is swallowed. */
    private static long allocatedBy(Runnable decode) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            decode.run();
        } catch (ClusterCodecException expected) {
            // the callers assert it
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
