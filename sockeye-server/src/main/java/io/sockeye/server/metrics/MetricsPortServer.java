package io.sockeye.server.metrics;

import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sockeye.core.RequestInfo;
import io.sockeye.server.http.HttpFeature;
import io.sockeye.server.http.HttpReply;
import io.sockeye.server.http.HttpRouter;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server of the metrics port ({@code --metrics-port}), for operators: {@code /metrics}
 * without authentication, {@code /healthz}, {@code /readyz}, nothing else. One event-loop thread of its
 * own, so a flood on the public port does not starve the scrapes. Bind it to an address only the
 * operator's network reaches.
 */
public final class MetricsPortServer implements AutoCloseable {

    /** Largest request accepted; the endpoints take no body. */
    private static final int MAX_REQUEST_BYTES = 8 * 1024;

    private final EventLoopGroup group;
    private final Channel channel;

    private MetricsPortServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds {@code host:port} (host null = all interfaces, port 0 = a free one) and serves these features'
     * routes (404 for anything else).
     */
    public static MetricsPortServer start(String host, int port, HttpFeature... features) {
        HttpRouter routes = HttpRouter.of(features);
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
            return new MetricsPortServer(group, b.bind(address).syncUninterruptibly().channel());
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
        private final HttpRouter routes;

        Handler(HttpRouter routes) {
            this.routes = routes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            HttpReply reply = HttpReply.to(ctx, req);
            if (!req.decoderResult().isSuccess()) {
                reply.closing().text(HttpResponseStatus.BAD_REQUEST, "Bad Request");
                return;
            }
            if (!routes.handle(ctx, req, info(ctx.channel(), req))) {
                reply.text(HttpResponseStatus.NOT_FOUND, "Not Found");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** What the routes read of a request; the probes and {@code /metrics} need its path and headers. */
    static RequestInfo info(Channel channel, FullHttpRequest req) {
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        Map<String, String> query = new HashMap<>();
        qs.parameters().forEach((name, values) -> {
            if (!values.isEmpty()) {
                query.put(name, values.get(0));
            }
        });
        Map<String, String> headers = new HashMap<>();
        req.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b));
        String address = channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
        return new RequestInfo(req.method().name(), req.uri(), qs.path(), query, headers, address, false);
    }
}
