package io.sockeye.server.gateway.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 backend on Netty (127.0.0.1, a free port, optionally TLS) that counts the connections it
 * accepts and misbehaves on demand, by path: {@code /ok}; {@code /slow} (after 100 ms); {@code /hang}
 * (never); {@code /drop-reused} (closes a connection that served before, without an answer);
 * {@code /reset} (half an answer, then a TCP reset); {@code /huge-declared} and {@code /huge-chunked}
 * (4 KiB bodies, with and without a length).
 */
final class NettyTestBackend implements AutoCloseable {

    final AtomicInteger accepted = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final boolean tls;

    /** @param tls the server side of TLS (a certificate for {@code localhost}), or {@code null} for plain HTTP */
    NettyTestBackend(SslContext tls) {
        this.tls = tls != null;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.incrementAndGet();
                        connections.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16), new Handler());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    /** {@code http://127.0.0.1:<port><path>}, or {@code https://localhost:<port><path>} (the certificate's name). */
    String url(String path) {
        return (tls ? "https://localhost:" : "http://127.0.0.1:") + ((InetSocketAddress) server.localAddress()).getPort() + path;
    }

    /** Requests received for {@code path}. */
    long count(String path) {
        return requests.stream().filter(path::equals).count();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private int served;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            requests.add(path);
            served++;
            switch (path) {
                case "/slow" -> ctx.executor().schedule(() -> ok(ctx), 100, TimeUnit.MILLISECONDS);
                case "/hang" -> { }
                case "/drop-reused" -> {
                    if (served > 1) {
                        ctx.close();
                    } else {
                        ok(ctx);
                    }
                }
                case "/reset" -> {
                    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 100);
                    ctx.write(head);
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("{\"result\":", StandardCharsets.UTF_8)))
                            .addListener(f -> {
                                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0); // close sends RST
                                ctx.close();
                            });
                }
                case "/huge-declared" -> ctx.writeAndFlush(full(("{\"result\":\"" + "x".repeat(4096) + "\"}")));
                case "/huge-chunked" -> {
                    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                    ctx.write(head);
                    ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("{\"result\":\"", StandardCharsets.UTF_8)));
                    for (int i = 0; i < 4; i++) {
                        ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("x".repeat(1024), StandardCharsets.UTF_8)));
                    }
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                            .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                }
                default -> ok(ctx);
            }
        }

        private void ok(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(full("{\"result\":" + served + "}"));
        }

        private FullHttpResponse full(String json) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            return r;
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
