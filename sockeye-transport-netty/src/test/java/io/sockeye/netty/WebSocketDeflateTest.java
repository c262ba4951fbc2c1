package io.sockeye.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * permessage-deflate on a connection's frames (RFC 7692 §6–7), on an embedded channel: compressed messages
 * in (whole and fragmented), a compression bomb stopped at the size limit with 1009, the RSV rules (1002),
 * and messages out compressed from the threshold up. The JDK's own zlib plays the client.
 */
class WebSocketDeflateTest {

    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final int THRESHOLD = 16;
    private static final int RSV1 = 4;

    private final List<String> messages = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final WebSocketPipeline.MessageHandler handler = new WebSocketPipeline.MessageHandler(MAX_MESSAGE_BYTES) {
        @Override
        protected void onMessage(ChannelHandlerContext ctx, WebSocketFrame frame) {
            String kind = frame instanceof TextWebSocketFrame ? "text:" : "binary:";
            messages.add(kind + frame.content().toString(StandardCharsets.UTF_8));
        }
    };

    {
        handler.deflate = PerMessageDeflate.enabled(THRESHOLD);
        channel.pipeline().addLast("start", new io.netty.channel.ChannelInboundHandlerAdapter());
        channel.pipeline().addLast("ws-app", handler);
    }

    @AfterEach
    void close() {
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(out);
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void compressedMessagesAreInflatedAndUncompressedOnesPassAsTheyAre() {
        channel.writeInbound(new TextWebSocketFrame(true, RSV1, Unpooled.wrappedBuffer(compress("héllo héllo héllo"))));
        channel.writeInbound(new BinaryWebSocketFrame(true, RSV1, Unpooled.wrappedBuffer(compress("bytes"))));
        channel.writeInbound(new TextWebSocketFrame("plain"));

        assertThat(messages).containsExactly("text:héllo héllo héllo", "binary:bytes", "text:plain");
    }

    @Test
    void aFragmentedCompressedMessageIsReassembledThenInflated() {
        byte[] compressed = compress("fragmented ".repeat(20));
        int half = compressed.length / 2;
        channel.writeInbound(new TextWebSocketFrame(false, RSV1, Unpooled.wrappedBuffer(Arrays.copyOf(compressed, half))));
        channel.writeInbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1})));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0,
                Unpooled.wrappedBuffer(Arrays.copyOfRange(compressed, half, compressed.length))));

        assertThat(messages).containsExactly("text:" + "fragmented ".repeat(20));
        assertThat(channel.pipeline().names()).contains("ws-deflate-rules", "ws-aggregator").doesNotContain("ws-utf8");
    }

    @Test
    void aCompressionBombClosesWith1009AtTheSizeLimit() {
        byte[] bomb = compress("0".repeat(50 * MAX_MESSAGE_BYTES)); // a few KiB on the wire
        assertThat(bomb.length).isLessThan(MAX_MESSAGE_BYTES / 8);

        channel.writeInbound(new TextWebSocketFrame(true, RSV1, Unpooled.wrappedBuffer(bomb)));

        assertThat(messages).isEmpty();
        assertClosedWith(WebSocketCloseStatus.MESSAGE_TOO_BIG);
    }

    @Test
    void aMessageInflatingToExactlyTheLimitIsAccepted() {
        channel.writeInbound(new BinaryWebSocketFrame(true, RSV1,
                Unpooled.wrappedBuffer(compress("1".repeat(MAX_MESSAGE_BYTES)))));
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0)).hasSize("binary:".length() + MAX_MESSAGE_BYTES);
    }

    @Test
    void dataThatIsNotDeflateClosesWith1007() {
        channel.writeInbound(new BinaryWebSocketFrame(true, RSV1, Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF, 1, 2, 3})));
        assertThat(messages).isEmpty();
        assertClosedWith(WebSocketCloseStatus.INVALID_PAYLOAD_DATA);
    }

    @Test
    void invalidUtf8OnceInflatedClosesWith1007() {
        byte[] notUtf8 = {'a', (byte) 0xC3, 0x28};
        channel.writeInbound(new TextWebSocketFrame(true, RSV1, Unpooled.wrappedBuffer(compress(notUtf8))));
        assertThat(messages).isEmpty();
        assertClosedWith(WebSocketCloseStatus.INVALID_PAYLOAD_DATA);
    }

    @Test
    void aCompressedControlFrameClosesWith1002() {
        channel.writeInbound(new PingWebSocketFrame(true, RSV1, Unpooled.wrappedBuffer(compress("ping"))));
        assertClosedWith(WebSocketCloseStatus.PROTOCOL_ERROR);
    }

    @Test
    void rsv2ClosesWith1002() {
        channel.writeInbound(new TextWebSocketFrame(true, 2, "x"));
        assertClosedWith(WebSocketCloseStatus.PROTOCOL_ERROR);
    }

    @Test
    void rsv1OnAContinuationFrameClosesWith1002() {
        channel.writeInbound(new TextWebSocketFrame(false, RSV1, Unpooled.wrappedBuffer(compress("abc"))));
        channel.writeInbound(new ContinuationWebSocketFrame(true, RSV1, Unpooled.wrappedBuffer(new byte[] {0})));
        assertClosedWith(WebSocketCloseStatus.PROTOCOL_ERROR);
        assertThat(messages).isEmpty();
    }

    @Test
    void anRsvBitWithoutNegotiationClosesWith1002() {
        EmbeddedChannel plain = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketPipeline.decoderConfig(1024)),
                new WebSocketPipeline.MessageHandler(1024) {
                    @Override
                    protected void onMessage(ChannelHandlerContext ctx, WebSocketFrame frame) {
                        messages.add("unexpected");
                    }
                });
        byte[] compressed = compress("hello hello");
        ByteBuf frame = Unpooled.buffer().writeByte(0xC1).writeByte(0x80 | compressed.length).writeInt(0); // mask 0
        try {
            plain.writeInbound(frame.writeBytes(compressed));
        } catch (RuntimeException expected) {
            // the decoder reports the violation after writing its close frame
        }
        CloseWebSocketFrame close = plain.readOutbound();
        assertThat(close.statusCode()).isEqualTo(WebSocketCloseStatus.PROTOCOL_ERROR.code());
        close.release();
        assertThat(messages).isEmpty();
        plain.finishAndReleaseAll();
    }

    @Test
    void messagesFromTheThresholdUpAreSentCompressedSmallerOnesAsTheyAre() {
        String big = "compress me ".repeat(10);
        channel.writeOutbound(new TextWebSocketFrame(big));
        channel.writeOutbound(new TextWebSocketFrame("short"));

        ByteBuf compressed = channel.readOutbound(); // an encoded frame: FIN + RSV1 + text, then the length
        assertThat((int) compressed.readUnsignedByte()).isEqualTo(0xC1);
        int length = compressed.readUnsignedByte();
        assertThat(length).isEqualTo(compressed.readableBytes()).isLessThan(big.length());
        assertThat(inflate(ByteBufUtil.getBytes(compressed))).isEqualTo(big);
        compressed.release();
        TextWebSocketFrame small = channel.readOutbound();
        assertThat(small.rsv()).isZero();
        assertThat(small.text()).isEqualTo("short");
        small.release();
    }

    private void assertClosedWith(WebSocketCloseStatus status) {
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close).as("a close frame").isNotNull();
        assertThat(close.statusCode()).isEqualTo(status.code());
        close.release();
        assertThat(channel.isOpen()).isFalse();
    }

    static byte[] compress(String text) {
        return compress(text.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 7692 §7.2.1, as a client does it: DEFLATE, sync flush, without the trailing 00 00 ff ff. */
    static byte[] compress(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length);
        deflater.end();
        byte[] all = out.toByteArray();
        return Arrays.copyOf(all, all.length - 4);
    }

    /** RFC 7692 §7.2.2: append 00 00 ff ff and inflate. */
    static String inflate(byte[] compressed) {
        Inflater inflater = new Inflater(true);
        byte[] input = Arrays.copyOf(compressed, compressed.length + 4);
        input[input.length - 2] = (byte) 0xFF;
        input[input.length - 1] = (byte) 0xFF;
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = inflater.inflate(chunk)) > 0) {
                out.write(chunk, 0, n);
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError(e);
        } finally {
            inflater.end();
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
