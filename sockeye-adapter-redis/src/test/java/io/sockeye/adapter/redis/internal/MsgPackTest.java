package io.sockeye.adapter.redis.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

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

/** notepack.io 3 compatibility (PROTOCOL.md §4.3), byte for byte. */
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
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the message");
        assertThatThrownBy(() -> decode("c6ffffff00"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodesTimestampsToTheIsoStringJavaScriptWouldSendAndOldUndefinedToNull() {
        assertThat(decode("d6ff00000001")).isEqualTo("1970-01-01T00:00:01.000Z");
        assertThat(decode("92d40000a161")).isEqualTo(Arrays.asList(null, "a"));
    }
}
