package io.sockeye.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.spi.transport.EngineEndpoint;
import io.sockeye.core.spi.transport.TrustedProxies;
import io.sockeye.netty.internal.ConnectionAddresses;
import io.sockeye.netty.internal.FrontendChannelInitializer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Netty front: the HTTP and WebSocket server in front of one or more Engine.IO endpoints — a
 * {@link SocketIoServer}'s, or bare ones ({@code EngineIo.endpoint}) — each on its own path. It owns
 * the port, the event loops (epoll on Linux, NIO elsewhere), TLS, CORS answers and HTTP compression;
 * requests outside the endpoints' paths go to an {@link HttpFallback}. It implements the transport
 * side of {@code io.sockeye.core.spi.transport}.
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
 * NettyFrontend http = NettyFrontend.builder().port(3000).attach(io).build().start();
 * }</pre>
 */
public final class NettyFrontend implements AutoCloseable {

    private final Builder config;
    private EventLoopGroup group;
    private Channel serverChannel;

    private NettyFrontend(Builder config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the port; returns once the server accepts connections. */
    public synchronized NettyFrontend start() {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(config.threads, io);
        ServerOptions first = config.engines.get(0).options();
        int maxBody = FrontendChannelInitializer.maxBody(config.engines);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, config.backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(first.writeBufferLowWaterMark(), first.writeBufferHighWaterMark()))
                .childOption(ChannelOption.ALLOCATOR, config.allocator)
                .childHandler(new FrontendChannelInitializer(config.engines, config.fallback, config.ssl, maxBody,
                        config.handshakeFilter, config.httpCompression,
                        new ConnectionAddresses(config.trustedProxies, config.proxyProtocol, first.metrics())));
        try {
            InetSocketAddress address = config.host == null
                    ? new InetSocketAddress(config.port) : new InetSocketAddress(config.host, config.port);
            serverChannel = b.bind(address).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting, closes every session and releases the event loops. */
    @Override
    public synchronized void close() {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().syncUninterruptibly();
        for (SocketIoServer io : config.servers) {
            io.close();
        }
        for (EngineEndpoint e : config.engines) {
            e.close();
        }
        // The closes above were queued on each connection's event loop; let them run (and write their
        // close frames / final poll responses) before the loops close every channel.
        for (var loop : group) {
            loop.submit(() -> { }).awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        serverChannel = null;
    }

    /** Builder with documented defaults: all interfaces, port 3000, 2 × cores event loops, backlog 4096. */
    public static final class Builder {
        private String host;
        private int port = 3000;
        private int threads = 0;
        private int backlog = 4096;
        private SslContext ssl;
        private HttpFallback fallback;
        private HandshakeFilter handshakeFilter;
        private boolean httpCompression = true;
        private ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        private TrustedProxies trustedProxies = TrustedProxies.none();
        private boolean proxyProtocol;
        private final List<EngineEndpoint> engines = new ArrayList<>();
        private final List<SocketIoServer> servers = new ArrayList<>();

        private Builder() {
        }

        /** Address to bind; default: all interfaces (dual-stack where available). */
        public Builder host(String host) { this.host = host; return this; }
        /** Port; 0 picks a free one (read it back with {@link NettyFrontend#port()}). */
        public Builder port(int port) { this.port = port; return this; }
        /** Event-loop threads; 0 = Netty's default (2 × cores). */
        public Builder threads(int threads) { this.threads = threads; return this; }
        /** Listen backlog; default 4096 so reconnect storms are queued, not refused. */
        public Builder backlog(int backlog) { this.backlog = backlog; return this; }
        /** Serve https/wss with this TLS context. */
        public Builder ssl(SslContext ssl) { this.ssl = ssl; return this; }
        /** Serves requests outside the Engine.IO paths; without it they get 404. */
        public Builder fallback(HttpFallback fallback) { this.fallback = fallback; return this; }

        /** Compress HTTP responses over 1 KiB with gzip/deflate when the client accepts it; default on. */
        public Builder httpCompression(boolean enabled) { this.httpCompression = enabled; return this; }

        // Tests count the buffers the connections allocate (one frame per broadcast and event loop).
        Builder allocator(ByteBufAllocator allocator) { this.allocator = allocator; return this; }

        /**
         * The load balancers and reverse proxies in front of this server (default: none). A request
         * whose peer is one of them counts as coming from the address it forwards
         * ({@code X-Forwarded-For}, else {@code Forwarded}, else {@code X-Real-IP}; see
         * {@link TrustedProxies}): that is {@code RequestInfo.remoteAddress()}, {@code handshake.address},
         * and what per-address limits count; {@code RequestInfo.peerAddress()} stays the proxy's.
         * Anyone else's forwarding headers are ignored.
         */
        public Builder trustedProxies(TrustedProxies proxies) { this.trustedProxies = proxies; return this; }

        /**
         * Reads the PROXY protocol (v1 and v2) that trusted proxies send first on each connection
         * (HAProxy {@code send-proxy-v2}, cloud load balancers); default off. A trusted peer must send
         * the header (a {@code LOCAL} one, as health checks send, keeps its own address); a connection
         * from it without one is closed, and so is one from any other peer that sends one. Needs
         * {@link #trustedProxies}.
         */
        public Builder proxyProtocol(boolean enabled) { this.proxyProtocol = enabled; return this; }

        /** Checks every new handshake first (e.g. rate limits answering 503). */
        public Builder handshakeFilter(HandshakeFilter filter) { this.handshakeFilter = filter; return this; }

        /** Serves a Socket.IO server on its {@link ServerOptions#path()}; closed with this server. */
        public Builder attach(SocketIoServer io) {
            servers.add(io);
            engines.add(io.engine());
            return this;
        }

        /** Serves a bare Engine.IO endpoint ({@code EngineIo.endpoint}) on its path; closed with this front. */
        public Builder attachEngine(EngineEndpoint engine) {
            engines.add(engine);
            return this;
        }

        public NettyFrontend build() {
            if (engines.isEmpty()) {
                throw new IllegalStateException("attach at least one server");
            }
            if (proxyProtocol && trustedProxies.isEmpty()) {
                throw new IllegalStateException("the PROXY protocol needs trustedProxies: the load balancers that send it");
            }
            return new NettyFrontend(this);
        }
    }
}
