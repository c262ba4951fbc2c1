package io.sockeye.protocol.msgpack;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.protocol.ProtocolException;
import io.sockeye.protocol.socket.SocketPacket;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for the msgpack packet decoder. The seeds (in {@code MsgpackPacketDecoderFuzzTestInputs})
 * are golden packets captured from a real Node.js socket.io server and socket.io-client with
 * socket.io-msgpack-parser (MsgpackGoldenBytesTest in sockeye-tests checks they still are).
 */
class MsgpackPacketDecoderFuzzTest {

    private static final MsgpackPacketDecoder DECODER = new MsgpackPacketDecoder();
    private static final MsgpackPacketEncoder ENCODER = new MsgpackPacketEncoder(new ObjectMapper());

    /**
     * Contract: a packet or {@link ProtocolException}, never another exception, for any bytes; and
     * whatever decodes re-encodes into bytes that decode to the same packet.
     */
    @FuzzTest
    void decode(byte[] input) {
        SocketPacket packet;
        try {
            packet = DECODER.decode(input);
        } catch (ProtocolException expected) {
            return; // bad input, answered the protocol's way
        }
        SocketPacket again = DECODER.decode(ENCODER.encode(packet));
        assertThat(again.type()).isEqualTo(packet.type());
        assertThat(again.nsp()).isEqualTo(packet.nsp());
        assertThat(again.id()).isEqualTo(packet.id());
        assertThat(comparable(again.data())).isEqualTo(comparable(packet.data()));
    }

    /**
     * A form in which equal JavaScript values are equal: numbers by their exact value (the encoder
     * writes an integral double as an integer, as JavaScript has one number type), bytes by content.
     */
    private static Object comparable(Object value) {
        if (value instanceof byte[] bytes) {
            return "bin:" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Date date) {
            return "date:" + date.getTime();
        }
        if (value instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 0x1p64 ? "n:" + new java.math.BigDecimal(d).toBigInteger()
                    : "d:" + Double.doubleToLongBits(d == 0 ? 0.0 : d);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return "n:" + value;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(comparable(v)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, comparable(v)));
            return out;
        }
        return value;
    }
}
