package io.sockeye.bench.generator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FramesTest {

    /** {@code reader} applied to {@code frame} in a buffer of its own, released after. */
    private static <T> T read(String frame, Function<ByteBuf, T> reader) {
        ByteBuf buf = Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8);
        try {
            return reader.apply(buf);
        } finally {
            buf.release();
        }
    }

    private static Frames.Header header(String frame) {
        return read(frame, Frames::header);
    }

    private static long timestamp(String frame) {
        return read(frame, Frames::timestamp);
    }

    @Test
    void buildsConnectToMainAndCustomNamespaces() {
        assertThat(Frames.connect("/")).isEqualTo("40");
        assertThat(Frames.connect("/chat")).isEqualTo("40/chat,");
    }

    @Test
    void buildsEventsWithAndWithoutAckIdAndNamespace() {
        assertThat(Frames.event("/", -1, "publish", "{\"a\":1}")).isEqualTo("42[\"publish\",{\"a\":1}]");
        assertThat(Frames.event("/", 12, "join", "\"room\"")).isEqualTo("4212[\"join\",\"room\"]");
        assertThat(Frames.event("/chat", 0, "echo", "1", "2")).isEqualTo("42/chat,0[\"echo\",1,2]");
        assertThat(Frames.event("/", -1, "ping")).isEqualTo("42[\"ping\"]");
    }

    @Test
    void quotesOnlyPlainAsciiRoomNames() {
        assertThat(Frames.jsonString("room-1")).isEqualTo("\"room-1\"");
        assertThatThrownBy(() -> Frames.jsonString("a\"b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Frames.jsonString("é")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsEngineIoPacketTypes() {
        assertThat(header("2").engineType()).isEqualTo(Frames.EIO_PING);
        assertThat(header("0{\"sid\":\"x\"}").engineType()).isEqualTo(Frames.EIO_OPEN);
        assertThat(header("6").engineType()).isEqualTo(Frames.EIO_NOOP);
        assertThat(header("")).isNull();
    }

    @Test
    void readsAckIdsOfAcks() {
        Frames.Header h = header("4317[{\"t\":1}]");
        assertThat(h.socketType()).isEqualTo(Frames.SIO_ACK);
        assertThat(h.ackId()).isEqualTo(17);
        assertThat(h.namespace()).isEqualTo("/");
        assertThat(h.dataIndex()).isEqualTo(4);
    }

    @Test
    void readsAckIdZeroAndEmptyAckData() {
        Frames.Header h = header("430[]");
        assertThat(h.ackId()).isZero();
        assertThat(h.dataIndex()).isEqualTo(3);
    }

    @Test
    void readsNamespaceBeforeAckId() {
        Frames.Header h = header("43/chat,5[]");
        assertThat(h.namespace()).isEqualTo("/chat");
        assertThat(h.ackId()).isEqualTo(5);
    }

    @Test
    void eventWithoutAckHasNoAckId() {
        Frames.Header h = header("42[\"msg\",{\"t\":5}]");
        assertThat(h.socketType()).isEqualTo(Frames.SIO_EVENT);
        assertThat(h.ackId()).isEqualTo(-1);
    }

    @Test
    void readsConnectReplyAndConnectError() {
        assertThat(header("40{\"sid\":\"abc\"}").socketType()).isEqualTo(Frames.SIO_CONNECT);
        assertThat(header("44{\"message\":\"no\"}").socketType()).isEqualTo(Frames.SIO_CONNECT_ERROR);
    }

    @Test
    void findsTheSendTimestampInAPayload() {
        assertThat(timestamp("42[\"msg\",{\"room\":\"r\",\"t\":1700000000123456789,\"p\":\"abc\"}]"))
                .isEqualTo(1700000000123456789L);
        assertThat(timestamp("{\"room\":\"r\",\"t\":42,\"p\":\"x\"}")).isEqualTo(42);
    }

    @Test
    void noTimestampWhenAbsentOrEmpty() {
        assertThat(timestamp("42[\"msg\",{\"p\":\"x\"}]")).isEqualTo(-1);
        assertThat(timestamp("42[\"msg\",{\"t\":\"x\"}]")).isEqualTo(-1);
        assertThat(timestamp("\"t\":")).isEqualTo(-1);
    }

    @Test
    void headerDoesNotMoveTheReaderIndex() {
        ByteBuf buf = Unpooled.copiedBuffer("xx4312[]", StandardCharsets.UTF_8);
        buf.readerIndex(2);
        try {
            assertThat(Frames.header(buf).ackId()).isEqualTo(12);
            assertThat(buf.readerIndex()).isEqualTo(2);
        } finally {
            buf.release();
        }
    }

    private static String refusal(String frame) {
        return read(frame, Frames::refusalCode);
    }

    @Test
    void readsTheCodeOfARefusedAck() {
        assertThat(refusal("437[{\"ok\":false,\"error\":{\"code\":\"unavailable\",\"message\":\"x\"}}]"))
                .isEqualTo("unavailable");
        assertThat(refusal("437[{\"ok\":false}]")).isEqualTo("?");
        assertThat(refusal("437[{\"ok\":true,\"result\":{\"code\":\"x\"}}]")).isNull();
    }
}
