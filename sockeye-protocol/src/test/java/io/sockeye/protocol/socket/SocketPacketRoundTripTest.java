package io.sockeye.protocol.socket;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.protocol.engine.EngineCodec;
import io.sockeye.protocol.engine.EnginePacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-style: random nested values survive encode → Engine.IO framing (WebSocket frames and a
 * polling payload) → decode unchanged, with their Java types, key order and binary attachments.
 * Seeded, so a failure names a reproducible case.
 */
class SocketPacketRoundTripTest {

    private static final long SEED = 0x50CE_7E5EL;
    private static final int CASES = 1500;
    private static final List<String> NAMESPACES = List.of("/", "/chat", "/a/b", "/é-ü", "/x y");
    private static final String[] CHAR_POOL = {
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u0000", "\u001f", "\u007f", "é", "ß", "\u2028", "中",
            "😀", "𝄞", "\u001e", "{", "]", ",", "-", "4"};

    private final SocketPacketEncoder encoder = new SocketPacketEncoder(new ObjectMapper());
    private int binaryCases;

    @AfterEach
    void theGeneratorCoversBothPlainAndBinaryPackets() {
        assertThat(binaryCases).isBetween(CASES / 10, CASES - CASES / 10);
    }

    @Test
    void randomPacketsSurviveWebSocketFrames() {
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            SocketPacket packet = randomPacket(random);
            EncodedPacket encoded = encoder.encode(packet);

            SocketPacketDecoder decoder = new SocketPacketDecoder();
            SocketPacket decoded = decoder.decodeText(
                    EngineCodec.decodeText("4" + encoded.text()).text());
            for (byte[] attachment : encoded.attachments()) {
                assertThat(decoded).as("case %d completed early", i).isNull();
                decoded = decoder.decodeBinary(EngineCodec.decodeBinary(attachment).binary());
            }

            assertSameContent(i, packet, encoded, decoded);
        }
    }

    @Test
    void randomPacketsSurviveAPollingPayload() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < CASES; i++) {
            SocketPacket packet = randomPacket(random);
            EncodedPacket encoded = encoder.encode(packet);
            List<EnginePacket> records = new ArrayList<>();
            records.add(EnginePacket.message(encoded.text()));
            encoded.attachments().forEach(a -> records.add(EnginePacket.binaryMessage(a)));
            byte[] body = EngineCodec.encodePayload(records).getBytes(StandardCharsets.UTF_8);

            SocketPacketDecoder decoder = new SocketPacketDecoder();
            SocketPacket decoded = null;
            for (EnginePacket record : EngineCodec.decodePayload(body)) {
                assertThat(decoded).as("case %d completed early", i).isNull();
                decoded = record.isBinary() ? decoder.decodeBinary(record.binary()) : decoder.decodeText(record.text());
            }

            assertSameContent(i, packet, encoded, decoded);
        }
    }

    private void assertSameContent(int i, SocketPacket sent, EncodedPacket encoded, SocketPacket decoded) {
        assertThat(decoded).as("case %d: %s", i, encoded).isNotNull();
        boolean binary = !encoded.attachments().isEmpty();
        if (binary) {
            binaryCases++;
        }
        SocketPacketType expectedType = sent.type().isEvent()
                ? (binary ? SocketPacketType.BINARY_EVENT : SocketPacketType.EVENT)
                : (binary ? SocketPacketType.BINARY_ACK : SocketPacketType.ACK);
        assertThat(decoded.type()).as("case %d type: %s", i, encoded).isEqualTo(expectedType);
        assertThat(decoded.nsp()).as("case %d nsp", i).isEqualTo(sent.nsp());
        assertThat(decoded.id()).as("case %d id", i).isEqualTo(sent.id());
        assertThat(comparable(decoded.data())).as("case %d data: %s", i, encoded).isEqualTo(comparable(sent.data()));

        // encoding is deterministic: the decoded packet encodes to the very same text and bytes
        EncodedPacket again = encoder.encode(decoded);
        assertThat(again.text()).as("case %d re-encoded", i).isEqualTo(encoded.text());
        assertThat(again.attachments()).as("case %d re-encoded attachments", i)
                .containsExactlyElementsOf(encoded.attachments());
    }

    // --- generators ---

    private SocketPacket randomPacket(Random r) {
        String nsp = NAMESPACES.get(r.nextInt(NAMESPACES.size()));
        List<Object> args = new ArrayList<>();
        int count = r.nextInt(5);
        for (int i = 0; i < count; i++) {
            args.add(randomValue(r, 0));
        }
        if (r.nextBoolean()) {
            return SocketPacket.ack(nsp, randomId(r), args);
        }
        args.add(0, r.nextInt(8) == 0 ? (Object) r.nextInt(1000) : "ev" + randomString(r));
        return r.nextBoolean() ? SocketPacket.event(nsp, args) : SocketPacket.event(nsp, randomId(r), args);
    }

    private static long randomId(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> r.nextInt(10);
            case 1 -> r.nextInt(Integer.MAX_VALUE);
            default -> r.nextLong() & SocketPacket.MAX_ID;
        };
    }

    private Object randomValue(Random r, int depth) {
        switch (r.nextInt(depth >= 4 ? 8 : 11)) {
            case 0:
                return null;
            case 1:
                return r.nextBoolean();
            case 2:
                return r.nextInt();
            case 3: // a long that does not fit an int, so it decodes as Long
                long magnitude = (1L << 31) + 1 + (r.nextLong() >>> 2);
                return r.nextBoolean() ? magnitude : -magnitude;
            case 4: // an integer that does not fit a long, so it decodes as BigInteger
                BigInteger big = BigInteger.ONE.shiftLeft(63 + r.nextInt(64)).add(BigInteger.valueOf(1 + (r.nextLong() >>> 1)));
                return r.nextBoolean() ? big : big.negate();
            case 5:
                return randomDouble(r);
            case 6:
                return randomString(r);
            case 7:
                byte[] bytes = new byte[r.nextInt(24)];
                r.nextBytes(bytes);
                return bytes;
            case 8:
            case 9: {
                List<Object> list = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    list.add(randomValue(r, depth + 1));
                }
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    map.put(randomString(r), randomValue(r, depth + 1));
                }
                return map;
            }
        }
    }

    private static double randomDouble(Random r) {
        switch (r.nextInt(4)) {
            case 0:
                return r.nextInt(100) + 0.5;
            case 1:
                return (double) r.nextInt(1000); // integral, still a Double
            case 2:
                return r.nextBoolean() ? -0.0 : Double.MIN_VALUE;
            default:
                double d;
                do {
                    d = Double.longBitsToDouble(r.nextLong());
                } while (!Double.isFinite(d));
                return d;
        }
    }

    private static String randomString(Random r) {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            sb.append(CHAR_POOL[r.nextInt(CHAR_POOL.length)]);
        }
        return sb.toString();
    }

    // --- comparison: keeps types and key order, compares bytes by content ---

    private record Bytes(String hex) {
    }

    private record OrderedMap(List<Object> keysAndValues) {
    }

    private static Object comparable(Object value) {
        if (value instanceof byte[] bytes) {
            return new Bytes(HexFormat.of().formatHex(bytes));
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(comparable(v)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            List<Object> out = new ArrayList<>();
            map.forEach((k, v) -> {
                out.add(k);
                out.add(comparable(v));
            });
            return new OrderedMap(out);
        }
        return value;
    }
}
