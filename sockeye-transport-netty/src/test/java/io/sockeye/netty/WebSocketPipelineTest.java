package io.sockeye.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The frame-level part of every WebSocket connection, on an embedded channel (no decoder: frames in). */
class WebSocketPipelineTest {

    private final List<String> messages = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    {
        channel.pipeline().addLast("start", new io.netty.channel.ChannelInboundHandlerAdapter());
        channel.pipeline().addLast("ws-app", new WebSocketPipeline.MessageHandler(1024) {
            @Override
            protected void onMessage(ChannelHandlerContext ctx, WebSocketFrame frame) {
                String kind = frame instanceof TextWebSocketFrame ? "text:" : "binary:";
                messages.add(kind + frame.content().toString(StandardCharsets.UTF_8));
            }
        });
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
    void idleConnectionHasNoReassemblyOrStreamingValidation() {
        assertThat(channel.pipeline().names()).doesNotContain("ws-utf8", "ws-aggregator").contains("ws-app");
    }

    @Test
    void unfragmentedMessagesPassThrough() {
        channel.writeInbound(new TextWebSocketFrame("héllo"));
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer("b".getBytes(StandardCharsets.UTF_8))));
        assertThat(messages).containsExactly("text:héllo", "binary:b");
    }

    @Test
    void firstFragmentInstallsReassemblyAndControlFramesMayComeBetweenFragments() {
        channel.writeInbound(new TextWebSocketFrame(false, 0, "hel"));
        channel.writeInbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {7})));
        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, "lo"));
        channel.writeInbound(new TextWebSocketFrame("again"));

        assertThat(messages).containsExactly("text:hello", "text:again");
        assertThat(channel.pipeline().names()).contains("ws-utf8", "ws-aggregator");
        PongWebSocketFrame pong = channel.readOutbound();
        assertThat(pong.content().readByte()).isEqualTo((byte) 7);
        pong.release();
    }

    @Test
    void invalidUtf8InAWholeTextMessageClosesWith1007() {
        channel.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xC3, 0x28})));

        assertThat(messages).isEmpty();
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code());
        close.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void invalidUtf8InsideFragmentsFailsFast() {
        channel.writeInbound(new TextWebSocketFrame(false, 0, "ok"));
        try {
            channel.writeInbound(new ContinuationWebSocketFrame(false, 0,
                    Unpooled.wrappedBuffer(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))); // a surrogate
        } catch (RuntimeException expected) {
            // Netty's validator reports the violation as an exception after writing the close frame.
        }
        try {
            channel.checkException(); // and the aggregator then reports the close in mid-message
        } catch (RuntimeException expected) {
            // PrematureChannelClosureException
        }
        assertThat(messages).isEmpty();
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code());
        close.release();
    }
}
