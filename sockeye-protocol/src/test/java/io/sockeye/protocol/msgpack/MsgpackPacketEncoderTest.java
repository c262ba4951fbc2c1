package io.sockeye.protocol.msgpack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder.Origin;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bytes the encoder writes, value by value, against the forms notepack.io 2.2 writes (the golden
 * packets of a real Node.js server are compared in sockeye-tests' MsgpackGoldenBytesTest).
 */
class MsgpackPacketEncoderTest {

    private final MsgpackPacketEncoder encoder = new MsgpackPacketEncoder(new ObjectMapper());

    /** The hex of {@code value} as the only argument of {@code 2["e", value]} on "/". */
    private String arg(Object value) {
        List<Object> args = new ArrayList<>();
        args.add("e");
        args.add(value);
        String hex = hex(encoder.encode(SocketPacket.event("/", args)));
        String prefix = "83a47479706502a46461746192a165";
        String suffix = "a36e7370a12f";
        assertThat(hex).startsWith(prefix).endsWith(suffix);
        return hex.substring(prefix.length(), hex.length() - suffix.length());
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Test
    void integersTakeTheSmallestForm() {
        assertThat(arg(0)).isEqualTo("00");
        assertThat(arg(127)).isEqualTo("7f");
        assertThat(arg(128)).isEqualTo("cc80");
        assertThat(arg(256)).isEqualTo("cd0100");
        assertThat(arg(65536L)).isEqualTo("ce00010000");
        assertThat(arg(4294967296L)).isEqualTo("cf0000000100000000");
        assertThat(arg(-1)).isEqualTo("ff");
        assertThat(arg(-32)).isEqualTo("e0");
        assertThat(arg(-33)).isEqualTo("d0df");
        assertThat(arg((short) -129)).isEqualTo("d1ff7f");
        assertThat(arg(-32769)).isEqualTo("d2ffff7fff");
        assertThat(arg(-2147483649L)).isEqualTo("d3ffffffff7fffffff");
        assertThat(arg(new BigInteger("18446744073709551615"))).isEqualTo("cfffffffffffffffff");
    }

    @Test
    void integralFloatingPointNumbersAreIntegersAsInJavaScript() {
        assertThat(arg(2.0)).isEqualTo("02");
        assertThat(arg(-0.0)).isEqualTo("00");
        assertThat(arg(-129.0)).isEqualTo("d1ff7f");
        assertThat(arg(0x1p63)).isEqualTo("cf8000000000000000");
        assertThat(arg(new BigDecimal("300"))).isEqualTo("cd012c");
    }

    @Test
    void otherNumbersAreFloat64NeverFloat32() {
        assertThat(arg(1.5)).isEqualTo("cb3ff8000000000000");
        assertThat(arg(0.1f)).isEqualTo("cb3fb999999999999a"); // 0.1, as the JSON encoder writes 0.1f
        assertThat(arg(Double.NaN)).isEqualTo("cb7ff8000000000000");
        assertThat(arg(Double.NEGATIVE_INFINITY)).isEqualTo("cbfff0000000000000");
        // Beyond 64 bits notepack's integer forms wrap; the value is kept as a float instead.
        assertThat(arg(1e300)).isEqualTo("cb7e37e43c8800759c");
        assertThat(arg(new BigInteger("18446744073709551616"))).isEqualTo("cb43f0000000000000");
    }

    @Test
    void stringsTakeTheSmallestHeaderForTheirUtf8Length() {
        assertThat(arg("")).isEqualTo("a0");
        assertThat(arg("é€😀")).isEqualTo("a9c3a9e282acf09f9880");
        assertThat(arg("x".repeat(31))).startsWith("bf78");
        assertThat(arg("x".repeat(32))).startsWith("d92078");
        assertThat(arg("x".repeat(256))).startsWith("da010078");
        assertThat(arg("x".repeat(600))).startsWith("da025878");
        assertThat(arg("x".repeat(65536))).startsWith("db0001000078");
        assertThat(arg(new StringBuilder("sb"))).isEqualTo("a27362");
    }

    @Test
    void binaryIsBinInline() {
        assertThat(arg(new byte[]{1, 2, 3})).isEqualTo("c403010203");
        assertThat(arg(new byte[0])).isEqualTo("c400");
        assertThat(arg(new byte[300])).startsWith("c5012c00");
        assertThat(arg(new byte[70000])).startsWith("c60001117000");
        ByteBuffer buffer = ByteBuffer.wrap(new byte[]{9, 8, 7, 6});
        buffer.position(1);
        assertThat(arg(buffer)).isEqualTo("c403080706");
        assertThat(buffer.position()).as("the caller's position").isEqualTo(1);
        ByteBuffer direct = ByteBuffer.allocateDirect(2).put(new byte[]{5, 4}).flip();
        assertThat(arg(direct)).isEqualTo("c4020504");
    }

    @Test
    void datesAreNotepacksFixext8OfMilliseconds() {
        assertThat(arg(new Date(1700000000123L))).isEqualTo("d7000000018bcfe5687b");
        assertThat(arg(Instant.ofEpochMilli(-1))).isEqualTo("d700ffffffffffffffff");
    }

    @Test
    void undefinedIsNotepacksFixext1AlsoAsAMapValue() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("x", Undefined.INSTANCE);
        map.put("y", 1);
        assertThat(arg(Undefined.INSTANCE)).isEqualTo("d40000");
        assertThat(arg(map)).isEqualTo("82a178d40000a17901");
        assertThat(arg(Arrays.asList(Undefined.INSTANCE, null))).isEqualTo("92d40000c0");
    }

    @Test
    void mapsKeepTheirOrderAndWriteEveryKeyAsAString() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("b", true);
        map.put(1, false);
        map.put("a", null);
        assertThat(arg(map)).isEqualTo("83a162c3a131c2a161c0");
        Map<String, Object> sixteen = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            sixteen.put("k" + i, i);
        }
        assertThat(arg(sixteen)).startsWith("de0010a26b3000");
        assertThat(arg(List.of(1, 2))).isEqualTo("920102");
        assertThat(arg(new Object[]{"a"})).isEqualTo("91a161");
        assertThat(arg(new ArrayList<>(java.util.Collections.nCopies(16, 0)))).startsWith("dc001000");
    }

    record Upload(String name, byte[] bytes, List<Integer> sizes) {
    }

    enum Color { RED }

    @Test
    void otherObjectsGoThroughTheObjectMapperWithBinaryKept() {
        assertThat(arg(new Upload("f", new byte[]{1}, List.of(2))))
                .isEqualTo("83a46e616d65a166a56279746573c40101a573697a65739102");
        assertThat(arg(Color.RED)).isEqualTo("a3524544");
        assertThat(arg(new int[]{1, 2})).isEqualTo("920102");
    }

    @Test
    void aCyclicValueIsRefusedInsteadOfOverflowingTheStack() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThatThrownBy(() -> encoder.encode(SocketPacket.event("/", List.of("e", cycle))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper");
        // and the encoder is fine afterwards
        assertThat(arg(1)).isEqualTo("01");
    }

    @Test
    void keysComeInTheOrderOfTheNodeServerWhichDependsOnTheSender() {
        List<Object> args = List.of("e");
        assertThat(hex(encoder.encode(SocketPacket.event("/", 5, args), Origin.SOCKET)))
                .isEqualTo("84a47479706502a46461746191a165a2696405a36e7370a12f");
        assertThat(hex(encoder.encode(SocketPacket.event("/", 5, args), Origin.BROADCAST)))
                .isEqualTo("84a47479706502a46461746191a165a36e7370a12fa2696405");
        assertThat(hex(encoder.encode(SocketPacket.ack("/", 5, List.of()), Origin.SOCKET)))
                .isEqualTo("84a2696405a47479706503a46461746190a36e7370a12f");
        assertThat(hex(encoder.encode(SocketPacket.connectError("/x", Map.of("message", "m")), Origin.CONNECTION)))
                .isEqualTo("83a47479706504a36e7370a22f78a46461746181a76d657373616765a16d");
        assertThat(hex(encoder.encode(SocketPacket.disconnect("/"))))
                .isEqualTo("82a47479706501a36e7370a12f");
    }

    @Test
    void binaryPacketTypesAreWrittenAsThePlainTypes() {
        SocketPacket binaryEvent = new SocketPacket(SocketPacketType.BINARY_EVENT, "/", SocketPacket.NO_ID,
                List.of("e", new byte[]{1}));
        SocketPacket binaryAck = new SocketPacket(SocketPacketType.BINARY_ACK, "/", 1, List.of(new byte[]{1}));
        assertThat(hex(encoder.encode(binaryEvent))).startsWith("83a47479706502");
        assertThat(hex(encoder.encode(binaryAck))).startsWith("84a2696401a47479706503");
    }

    @Test
    void aLargePacketEncodesWholeAndTheNextOneIsNotAffected() {
        byte[] big = new byte[100_000];
        Arrays.fill(big, (byte) 7);
        byte[] encoded = encoder.encode(SocketPacket.event("/", List.of("e", big)));
        assertThat(encoded).hasSize(15 + 5 + 100_000 + 6);
        assertThat(arg("small")).isEqualTo("a5736d616c6c");
    }
}
