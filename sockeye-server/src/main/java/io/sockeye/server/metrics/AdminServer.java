package io.sockeye.server.metrics;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.sockeye.netty.HttpFallback;
import io.sockeye.netty.internal.Requests;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP server on a separate port for operators ({@code --metrics-port}): {@code /metrics}
 * without authentication, {@code /healthz}, {@code /readyz}. One event-loop thread of its own, so a
 * flood on the public port does not starve the scrapes. Bind it to an address only the operator's
 * network reaches.
 */
public final class AdminServer implements AutoCloseable {

    /** Largest request accepted; the endpoints take no body. */
    private static final int MAX_REQUEST_BYTES = 8 * 1024;

    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds {@code host:port} (host null = all interfaces, port 0 = a free one) and serves {@code routes}
     * (404 for anything they do not handle).
     */
    public static AdminServer start(String host, int port, HttpFallback routes) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(new Handler(routes));
                    }
                });
        try {
            InetSocketAddress address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
            return new AdminServer(group, b.bind(address).syncUninterruptibly().channel());
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final HttpFallback routes;

        Handler(HttpFallback routes) {
            this.routes = routes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!req.decoderResult().isSuccess()) {
                OpsResponses.send(ctx, false, HttpResponseStatus.BAD_REQUEST, "text/plain; charset=UTF-8",
                        Unpooled.copiedBuffer("Bad Request", StandardCharsets.UTF_8), false);
                return;
            }
            if (!routes.handle(ctx, req, Requests.info(ctx.channel(), req))) {
                OpsResponses.send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, "text/plain; charset=UTF-8",
                        Unpooled.copiedBuffer("Not Found", StandardCharsets.UTF_8), false);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
