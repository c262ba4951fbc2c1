package io.sockeye.tests.autobahn;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.sockeye.netty.WebSocketPipeline;

/**
 * Echoes every complete text and binary message back. Control frames, the closing handshake and
 * protocol errors are handled by the transport's {@code WebSocketPipeline.MessageHandler} it extends.
 */
final class WebSocketEchoHandler extends WebSocketPipeline.MessageHandler {

    WebSocketEchoHandler(int maxMessageBytes) {
        super(maxMessageBytes);
    }

    @Override
    protected void onMessage(ChannelHandlerContext ctx, WebSocketFrame frame) {
        // Through the channel, so the write passes the handler's own close-state check.
        ctx.channel().write(frame.retain(), ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One flush per read batch rather than per message.
        ctx.flush();
    }

}
