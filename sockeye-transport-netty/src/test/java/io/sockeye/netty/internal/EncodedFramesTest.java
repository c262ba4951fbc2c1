package io.sockeye.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class EncodedFramesTest {

    /** What a client's decoder (RFC 6455, unmasked server frames) makes of an encoded frame. */
    private static String decode(ByteBuf frame) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
        try {
            client.writeInbound(frame);
            TextWebSocketFrame text = client.readInbound();
            try {
                assertThat(text.isFinalFragment()).isTrue();
                return text.text();
            } finally {
                text.release();
            }
        } finally {
            client.finishAndReleaseAll();
        }
    }

    @Test
    void everyLengthEncodingDecodesToThePayload() {
        for (int length : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 200_000}) {
            char[] chars = new char[length];
            Arrays.fill(chars, 'x');
            byte[] payload = new String(chars).getBytes(StandardCharsets.UTF_8);
            ByteBuf frame = EncodedFrames.encode(ByteBufAllocator.DEFAULT, payload);
            int header = length <= 125 ? 2 : length <= 65_535 ? 4 : 10;
            assertThat(frame.readableBytes()).as("frame of %d bytes", length).isEqualTo(header + length);
            assertThat(decode(frame)).hasSize(length);
        }
    }

    @Test
    void frameObjectsEncodeToWhatAClientDecodes() {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
        try {
            byte[] big = new byte[5_000]; // above the copy threshold: header and content as one composite
            big[4_999] = 9;
            client.writeInbound(EncodedFrames.encode(ByteBufAllocator.DEFAULT,
                    new BinaryWebSocketFrame(Unpooled.wrappedBuffer(big))));
            client.writeInbound(EncodedFrames.encode(ByteBufAllocator.DEFAULT,
                    new PongWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2}))));
            client.writeInbound(EncodedFrames.encode(ByteBufAllocator.DEFAULT,
                    new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG)));

            BinaryWebSocketFrame binary = client.readInbound();
            assertThat(binary.content().readableBytes()).isEqualTo(5_000);
            assertThat(binary.content().getByte(4_999)).isEqualTo((byte) 9);
            binary.release();
            PongWebSocketFrame pong = client.readInbound();
            assertThat(pong.content().readableBytes()).isEqualTo(2);
            pong.release();
            CloseWebSocketFrame close = client.readInbound();
            assertThat(close.statusCode()).isEqualTo(WebSocketCloseStatus.MESSAGE_TOO_BIG.code());
            close.release();
        } finally {
            client.finishAndReleaseAll();
        }
    }
}
