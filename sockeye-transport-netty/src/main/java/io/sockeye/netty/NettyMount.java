package io.sockeye.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.spi.transport.EngineEndpoint;
import io.sockeye.netty.internal.EngineHttpHandler;
import io.sockeye.netty.internal.FrontendChannelInitializer;

import java.util.ArrayList;
import java.util.List;

/**
 * Sockeye inside a Netty server of one's own: on the application's port and event loops, requests under
 * the servers' paths ({@code /socket.io/} by default) are served by Sockeye, long-polling and WebSocket
 * alike, and every other request goes on down the pipeline to the application's handlers, untouched.
 * Use it instead of {@link NettyFrontend} when the application already owns a {@code ServerBootstrap}.
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
 * NettyMount sockeye = NettyMount.of(io);
 * bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
 *     protected void initChannel(SocketChannel ch) {
 *         ch.pipeline().addLast(new HttpServerCodec());
 *         sockeye.addTo(ch.pipeline());          // after the HTTP codec, before the application's handlers
 *         ch.pipeline().addLast(new MyHttpHandler());
 *     }
 * });
 * // at shutdown: sockeye.close() (tells the clients, ends the sessions), then the event loop groups
 * }</pre>
 *
 * <p>The pipeline must decode HTTP/1.1 ({@code HttpServerCodec}, after TLS if any) in front of
 * {@link #addTo}; Sockeye adds its handlers after it. Only Sockeye's requests are aggregated (up to the
 * largest {@code maxHttpBufferSize}); a WebSocket connection's pipeline becomes Sockeye's after its
 * upgrade. HTTP compression and TLS are the application's choice here; a client's address is its
 * connection's peer (the trusted proxies of {@link NettyFrontend} do not apply).
 */
public final class NettyMount implements AutoCloseable {

    private final List<SocketIoServer> servers;
    private final List<EngineEndpoint> engines;
    private final int maxBody;
    private final HandshakeFilter handshakeFilter;

    private NettyMount(List<SocketIoServer> servers, List<EngineEndpoint> engines, HandshakeFilter filter) {
        this.servers = List.copyOf(servers);
        this.engines = List.copyOf(engines);
        this.maxBody = FrontendChannelInitializer.maxBody(this.engines);
        this.handshakeFilter = filter;
    }

    /** Mounts these Socket.IO servers, each on its {@code ServerOptions.path()}. */
    public static NettyMount of(SocketIoServer... servers) {
        if (servers.length == 0) {
            throw new IllegalArgumentException("mount at least one server");
        }
        List<EngineEndpoint> engines = new ArrayList<>();
        for (SocketIoServer io : servers) {
            engines.add(io.engine());
        }
        return new NettyMount(List.of(servers), engines, null);
    }

    /** The same mount, checking every new handshake first (e.g. rate limits answering 503). */
    public NettyMount withHandshakeFilter(HandshakeFilter filter) {
        return new NettyMount(servers, engines, filter);
    }

    /**
     * Adds Sockeye's handlers at the end of {@code pipeline}, which must decode HTTP already; the
     * handlers added after this call get every request outside Sockeye's paths.
     */
    public void addTo(ChannelPipeline pipeline) {
        EngineHttpHandler engine = new EngineHttpHandler(engines, null, handshakeFilter);
        pipeline.addLast("sockeye-route", new Router(engines, engine));
        pipeline.addLast("sockeye-aggregator", FrontendChannelInitializer.aggregator(maxBody, engines));
        pipeline.addLast("sockeye", engine);
    }

    /** Closes the mounted servers: their clients are told and their sessions end. Call it before the loops stop. */
    @Override
    public void close() {
        for (SocketIoServer io : servers) {
            io.close();
        }
    }

    /**
     * Sends a request under Sockeye's paths, with its body parts, through the aggregator to Sockeye;
     * any other request skips both and reaches the handler after Sockeye's, as the codec decoded it.
     */
    private static final class Router extends ChannelInboundHandlerAdapter {
        private final List<EngineEndpoint> engines;
        private final EngineHttpHandler engine;
        private boolean passing;

        Router(List<EngineEndpoint> engines, EngineHttpHandler engine) {
            this.engines = engines;
            this.engine = engine;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                passing = EngineHttpHandler.route(engines, new QueryStringDecoder(req.uri()).path()) == null;
            }
            ChannelHandlerContext engineContext = passing && msg instanceof HttpObject
                    ? ctx.pipeline().context(engine) : null;
            if (engineContext != null) {
                engineContext.fireChannelRead(msg);
            } else {
                ctx.fireChannelRead(msg);
            }
        }
    }
}
