package io.sockeye.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.engine.EngineTimer;
import io.sockeye.core.spi.transport.EngineEndpoint;
import io.sockeye.core.spi.transport.TrustedProxies;
import io.sockeye.netty.internal.AcceptLimiter;
import io.sockeye.netty.internal.ConnectionAddresses;
import io.sockeye.netty.internal.ConnectionCounters;
import io.sockeye.netty.internal.ConnectionPolicy;
import io.sockeye.netty.internal.FileDescriptors;
import io.sockeye.netty.internal.FrontendChannelInitializer;
import io.sockeye.netty.internal.TransportSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Netty front: the HTTP and WebSocket server in front of one or more Engine.IO endpoints — a
 * {@link SocketIoServer}'s, or bare ones ({@code EngineIo.endpoint}) — each on its own path. It owns
 * the port, the event loops ({@link Transport}: epoll on Linux, NIO elsewhere, io_uring on request),
 * TLS, CORS answers and HTTP compression; requests outside the endpoints' paths go to an
 * {@link HttpFallback}. It implements the transport side of {@code io.sockeye.core.spi.transport}.
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
 * NettyFrontend http = NettyFrontend.builder().port(3000).attach(io).build().start();
 * }</pre>
 */
public final class NettyFrontend implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NettyFrontend.class);

    /**
     * File descriptors the default {@code maxConnections} leaves to everything but client connections: the
     * JVM's own (class path, event loops, logs: 100–200), Redis or NATS connections, the metrics port and
     * its scrapes, files, with room to spare.
     */
    public static final int FILE_DESCRIPTOR_HEADROOM = 512;

    /** Connections let in past {@code maxConnections} for {@link Builder#healthCheckPaths health checks} only. */
    public static final int HEALTH_CHECK_RESERVE = 16;

    private final Builder config;
    private final ConnectionCounters connections = new ConnectionCounters();
    private EventLoopGroup group;
    private ChannelGroup accepted; // every open connection, to close at stop
    private Channel serverChannel;
    private volatile Transport transport;
    private volatile Bootstrap clients;

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
        TransportSelection selected = TransportSelection.select(config.transport);
        if (selected.fallbackNote() != null) {
            log.warn(selected.fallbackNote());
        }
        group = new MultiThreadIoEventLoopGroup(config.threads, selected.ioHandlerFactory());
        accepted = new DefaultChannelGroup("sockeye-connections", GlobalEventExecutor.INSTANCE, true);
        ServerOptions first = config.engines.get(0).options();
        int maxBody = FrontendChannelInitializer.maxBody(config.engines);
        ConnectionPolicy policy = new ConnectionPolicy(EngineTimer.shared(), config.idleTimeout.toMillis(),
                config.requestHeadTimeout.toMillis(), config.requestBodyTimeout.toMillis(),
                config.closeTimeout.toMillis(), config.healthChecks, connections, config.perMessageDeflate);
        int reserve = config.healthChecks.isEmpty() ? 0 : HEALTH_CHECK_RESERVE;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(selected.serverChannel())
                .handler(new AcceptLimiter(config.maxConnectionsPerAddress, maxConnections(reserve), reserve, connections,
                        config.trustedProxies::trusts))
                .option(ChannelOption.SO_BACKLOG, config.backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(first.writeBufferLowWaterMark(), first.writeBufferHighWaterMark()))
                .childOption(ChannelOption.ALLOCATOR, config.allocator)
                .childHandler(new FrontendChannelInitializer(config.engines, config.fallback, config.ssl, maxBody,
                        config.handshakeFilter, config.httpCompression,
                        new ConnectionAddresses(config.trustedProxies, config.proxyProtocol, first.metrics()), policy,
                        config.http2, accepted));
        try {
            InetSocketAddress address = config.host == null
                    ? new InetSocketAddress(config.port) : new InetSocketAddress(config.host, config.port);
            serverChannel = b.bind(address).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
        transport = selected.transport();
        clients = new Bootstrap().group(group).channel(selected.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, config.allocator);
        return this;
    }

    /**
     * The cap on open connections: as configured, else the process's open-file limit (RLIMIT_NOFILE, read
     * now) less {@link #FILE_DESCRIPTOR_HEADROOM} and the health-check reserve, but at least half of it.
     */
    private long maxConnections(int reserve) {
        if (config.maxConnections >= 0) {
            return config.maxConnections == 0 ? Long.MAX_VALUE : config.maxConnections;
        }
        long limit = FileDescriptors.limit();
        return limit <= 0 ? Long.MAX_VALUE : Math.max(limit / 2, limit - FILE_DESCRIPTOR_HEADROOM - reserve);
    }

    /** What the connection limits and deadlines did: open connections, refusals, timeouts, resets. */
    public ConnectionStats connectionStats() {
        return connections;
    }

    /** The transport the event loops run on once started (never {@link Transport#AUTO}), else {@code null}. */
    public Transport transport() {
        return transport;
    }

    /**
     * A client bootstrap on these event loops and their transport, for the server's own outbound connections
     * (a gateway's calls to its backends), so that they are served on the loop of the connection that asked;
     * {@code null} before {@link #start()}. Set a handler (and a loop: {@code clone(loop)}) before connecting.
     */
    public Bootstrap clientBootstrap() {
        Bootstrap b = clients;
        return b == null ? null : b.clone();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting, closes every session and every connection, and releases the event loops. */
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
        // Closed here, not left to the loops' shutdown: a loop still running a task when its shutdown begins
        // ends without closing its channels, and a connection left open is never read again; its client's next
        // request waits unanswered until the client gives up. A close queued behind such a task runs before
        // the loop ends.
        accepted.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        serverChannel = null;
    }

    /**
     * Builder with documented defaults: all interfaces, port 3000, 2 × cores event loops, backlog 4096; the
     * connection deadlines and caps below.
     */
    public static final class Builder {
        private String host;
        private int port = 3000;
        private int threads = 0;
        private int backlog = 4096;
        private Transport transport = Transport.AUTO;
        private SslContext ssl;
        private HttpFallback fallback;
        private HandshakeFilter handshakeFilter;
        private boolean httpCompression = true;
        private boolean http2;
        private PerMessageDeflate perMessageDeflate = PerMessageDeflate.DISABLED;
        private ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        private TrustedProxies trustedProxies = TrustedProxies.none();
        private boolean proxyProtocol;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration requestHeadTimeout = Duration.ofSeconds(10);
        private Duration requestBodyTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private int maxConnectionsPerAddress;
        private long maxConnections = -1;
        private Set<String> healthChecks = Set.of();
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
        /**
         * The event loops' I/O transport; default {@link Transport#AUTO}. One asked for by name that does not
         * load here falls back (io_uring → epoll → NIO) with one warning in the log.
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Listen backlog; default 4096 so reconnect storms are queued, not refused. */
        public Builder backlog(int backlog) { this.backlog = backlog; return this; }
        /** Serve https/wss with this TLS context. */
        public Builder ssl(SslContext ssl) { this.ssl = ssl; return this; }
        /** Serves requests outside the Engine.IO paths; without it they get 404. */
        public Builder fallback(HttpFallback fallback) { this.fallback = fallback; return this; }
        /**
         * Whether connections may speak HTTP/2 (default off): with TLS when the client picks {@code h2} by ALPN
         * (the {@link #ssl} context must offer it), without TLS when it starts with the HTTP/2 preface (prior
         * knowledge). Requests on HTTP/2 streams are served like HTTP/1.1 ones; WebSocket stays on HTTP/1.1.
         */
        public Builder http2(boolean enabled) { this.http2 = enabled; return this; }

        /** Compress HTTP responses over 1 KiB with gzip/deflate when the client accepts it; default on. */
        public Builder httpCompression(boolean enabled) { this.httpCompression = enabled; return this; }

        /**
         * Negotiate WebSocket per-message compression (permessage-deflate, RFC 7692) with clients that offer
         * it; default off ({@link PerMessageDeflate#DISABLED}). Enable it with
         * {@code PerMessageDeflate.enabled(PerMessageDeflate.DEFAULT_THRESHOLD)}: a broadcast is then
         * compressed once per event loop for all its recipients that negotiated it.
         */
        public Builder perMessageDeflate(PerMessageDeflate deflate) {
            this.perMessageDeflate = Objects.requireNonNull(deflate, "deflate");
            return this;
        }

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

        /**
         * How long a connection with no request in progress — a new one, or one between keep-alive requests —
         * may stay silent before it is closed; default 30 s, zero: no limit. Behind a proxy that keeps idle
         * connections to the server, set the proxy's idle timeout below this one.
         */
        public Builder idleTimeout(Duration timeout) { this.idleTimeout = atLeastZero("idleTimeout", timeout); return this; }

        /** How long a request's head may take from its first byte (then 408 and close); default 10 s, zero: no limit. */
        public Builder requestHeadTimeout(Duration timeout) {
            this.requestHeadTimeout = atLeastZero("requestHeadTimeout", timeout);
            return this;
        }

        /** How long a request's body may take once its head is in (then 408 and close); default 30 s, zero: no limit. */
        public Builder requestBodyTimeout(Duration timeout) {
            this.requestBodyTimeout = atLeastZero("requestBodyTimeout", timeout);
            return this;
        }

        /**
         * How long a WebSocket close may wait for a peer that does not take it (it stopped reading) before the
         * connection is reset; default 5 s, zero: wait for the peer.
         */
        public Builder closeTimeout(Duration timeout) { this.closeTimeout = atLeastZero("closeTimeout", timeout); return this; }

        /**
         * TCP connections one peer address may hold open, counted at accept (past it: reset before anything is
         * read); default 0, no cap. Behind a proxy every connection has the proxy's address.
         */
        public Builder maxConnectionsPerAddress(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxConnectionsPerAddress must not be negative");
            }
            this.maxConnectionsPerAddress = max;
            return this;
        }

        /**
         * TCP connections open at once (past it: reset at accept, except the health-check reserve); 0: no cap.
         * Default: the open-file limit less {@link #FILE_DESCRIPTOR_HEADROOM} and the reserve, so that the
         * process keeps descriptors for everything else when clients take all they can.
         */
        public Builder maxConnections(long max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxConnections must not be negative");
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Request paths (e.g. {@code /healthz}) served past {@code maxConnections}, from a reserve of
         * {@link #HEALTH_CHECK_RESERVE} connections that may ask for nothing else (503) and close after the
         * answer: a liveness probe keeps its answer when clients take every other connection. Default: none.
         */
        public Builder healthCheckPaths(String... paths) { this.healthChecks = Set.of(paths); return this; }

        private static Duration atLeastZero(String name, Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return d;
        }

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
