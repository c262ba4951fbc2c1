package io.sockeye.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
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
    void recipientsOfOnePayloadShareOneEncodingAndEachReleasesItsOwn() {
        byte[] payload = "42[\"msg\",\"héllo\"]".getBytes(StandardCharsets.UTF_8);
        ByteBuf first = EncodedFrames.text(ByteBufAllocator.DEFAULT, payload);
        ByteBuf second = EncodedFrames.text(ByteBufAllocator.DEFAULT, payload);
        long address = first.memoryAddress();
        assertThat(second.memoryAddress()).as("one encoding, two views").isEqualTo(address);
        assertThat(decode(first)).isEqualTo("42[\"msg\",\"héllo\"]");
        assertThat(decode(second)).isEqualTo("42[\"msg\",\"héllo\"]");

        byte[] other = "3".getBytes(StandardCharsets.UTF_8);
        ByteBuf third = EncodedFrames.text(ByteBufAllocator.DEFAULT, other);
        assertThat(third.refCnt()).isEqualTo(2); // remembered + this view
        assertThat(first.refCnt()).as("written views released, and the remembered frame once replaced").isZero();
        assertThat(decode(third)).isEqualTo("3");
    }
}
