package io.sockeye.bench.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sockeye.protocol.msgpack.MsgpackPacketDecoder;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator's msgpack packets: what it sends decodes as the server's decoder reads it; what it receives is walked right. */
class MsgpackFramesTest {

    private static final long T = 1_796_000_000_123_456_789L;

    private static MsgpackFrames.Packet read(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return MsgpackFrames.read(buf);
        } finally {
            buf.release();
        }
    }

    private static Map<String, Object> message(Object t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("room", "room");
        m.put("t", t);
        m.put("p", "abcdefgh");
        return m;
    }

    @Test
    void findsTheTimestampOfABroadcastAsSockeyeWritesIt() {
        byte[] bytes = new MsgpackPacketEncoder(new ObjectMapper())
                .encode(SocketPacket.event("/", List.of("msg", message(T))), MsgpackPacketEncoder.Origin.BROADCAST);
        assertThat(read(bytes)).isEqualTo(new MsgpackFrames.Packet(2, -1, T));
    }

    /** A Node.js server with notepack writes {type, data, nsp}; a JavaScript number may come back as a float64. */
    @Test
    void findsTheTimestampOfABroadcastAsNotepackWritesIt() {
        Bytes uint64 = new Bytes().raw(0x83).str("type").raw(0x02).str("data").raw(0x92).str("msg")
                .raw(0x83).str("room").str("room").str("t").raw(0xcf).u64(T).str("p").str("abcdefgh").str("nsp").str("/");
        assertThat(read(uint64.bytes())).isEqualTo(new MsgpackFrames.Packet(2, -1, T));
        Bytes float64 = new Bytes().raw(0x83).str("type").raw(0x02).str("data").raw(0x92).str("msg")
                .raw(0x82).str("p").str("x").str("t").raw(0xcb).u64(Double.doubleToLongBits(1.5e18)).str("nsp").str("/");
        assertThat(read(float64.bytes())).isEqualTo(new MsgpackFrames.Packet(2, -1, 1_500_000_000_000_000_000L));
    }

    @Test
    void readsTheTypeAndIdOfAcksAndConnectReplies() {
        MsgpackPacketEncoder encoder = new MsgpackPacketEncoder(new ObjectMapper());
        assertThat(read(encoder.encode(SocketPacket.ack("/", 70_000, List.of(message(T))))))
                .isEqualTo(new MsgpackFrames.Packet(3, 70_000, -1)); // an ack's data is its arguments: no event name first
        assertThat(read(encoder.encode(SocketPacket.connect("/", Map.of("sid", "abc")))))
                .isEqualTo(new MsgpackFrames.Packet(0, -1, -1));
        assertThat(read(encoder.encode(SocketPacket.event("/", List.of("msg", "no map", 3)))))
                .isEqualTo(new MsgpackFrames.Packet(2, -1, -1));
    }

    @Test
    void aTruncatedOrForgedPacketReadsAsNull() {
        byte[] bytes = new MsgpackPacketEncoder(new ObjectMapper())
                .encode(SocketPacket.event("/", List.of("msg", message(T))), MsgpackPacketEncoder.Origin.BROADCAST);
        for (int length = 0; length < bytes.length; length++) {
            assertThat(read(Arrays.copyOf(bytes, length))).as("first %d bytes", length).isNull();
        }
        byte[] hugeString = new Bytes().raw(0x81).raw(0xdb).raw(0x7f).raw(0xff).raw(0xff).raw(0xff).bytes();
        assertThat(read(hugeString)).isNull();
        byte[] neverUsed = new Bytes().raw(0x82).str("x").raw(0xc1).str("type").raw(0x02).bytes();
        assertThat(read(neverUsed)).isNull();
        assertThat(read("42[\"msg\"]".getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    @Test
    void whatTheGeneratorSendsIsWhatTheServersDecoderReads() {
        MsgpackPacketDecoder decoder = new MsgpackPacketDecoder();
        assertThat(decoder.decode(MsgpackFrames.connect())).isEqualTo(SocketPacket.connect("/", null));
        assertThat(decoder.decode(MsgpackFrames.event(5, "join", "room")))
                .isEqualTo(SocketPacket.event("/", 5, List.of("join", "room")));
        SocketPacket publish = decoder.decode(MsgpackFrames.event(-1, "publish", new Payloads("room", 128).map(T)));
        assertThat(publish.type()).isEqualTo(SocketPacketType.EVENT);
        assertThat(publish.hasId()).isFalse();
        assertThat(((Map<?, ?>) ((List<?>) publish.data()).get(1)).get("t")).isEqualTo(T);
    }

    @Test
    void theMsgpackMessageCarriesTheJsonMessagesPaddingInFewerBytes() {
        Payloads payloads = new Payloads("room", 128);
        String json = payloads.json(T);
        Map<String, Object> map = payloads.map(T);
        assertThat(json).contains("\"p\":\"" + map.get("p") + "\"");
        assertThat(MsgpackFrames.event(-1, "msg", map).length).isLessThan(Frames.event("/", -1, "msg", json).length());
    }

    /** msgpack bytes written by hand, as notepack.io writes them. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes raw(int b) {
            out.write(b);
            return this;
        }

        Bytes str(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.write(0xa0 | utf8.length); // fixstr: the test's strings are short
            out.writeBytes(utf8);
            return this;
        }

        Bytes u64(long v) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
