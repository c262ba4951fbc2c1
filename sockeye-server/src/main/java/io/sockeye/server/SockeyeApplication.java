package io.sockeye.server;

import io.netty.handler.ssl.SslContext;
import io.sockeye.core.CookieOptions;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.DisconnectReason;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.HandshakeFilter;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.server.admin.AdminCredentials;
import io.sockeye.server.admin.AdminDashboard;
import io.sockeye.server.admin.AdminLogin;
import io.sockeye.server.admin.AdminUiNamespace;
import io.sockeye.server.admin.AdminUiOptions;
import io.sockeye.server.api.HttpApi;
import io.sockeye.server.metrics.HealthEndpoint;
import io.sockeye.server.metrics.Observability;
import io.sockeye.server.auth.Permissions;
import io.sockeye.server.auth.TokenVerifier;
import io.sockeye.server.cluster.ClusterBus;
import io.sockeye.server.config.CommandLineOptions;
import io.sockeye.server.config.ConfigException;
import io.sockeye.server.config.ServerConfig;
import io.sockeye.server.config.Setting;
import io.sockeye.server.config.Settings;
import io.sockeye.server.gateway.Gateway;
import io.sockeye.server.gateway.GatewayMetrics;
import io.sockeye.server.limits.HandshakeLimiter;
import io.sockeye.server.rooms.RoomsService;
import io.sockeye.server.http.HttpRouter;
import io.sockeye.server.sse.SseEndpoint;
import io.sockeye.server.web.OriginPolicy;
import io.sockeye.server.web.StaticFiles;
import io.sockeye.server.warmup.Warmup;
import io.sockeye.server.warmup.WarmupSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.UnresolvedAddressException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The standalone server, assembled from its parts in one place:
 *
 * <pre>
 * SocketIoServer (ping, buffer size, CORS + origin check from cors_origins, sticky cookie)
 *   + ClusterBus        the Redis or NATS adapter when redis_url / nats_url is set (in-memory otherwise)
 *   + RoomsService      client protocol on namespace "/" (subscribe, publish, presence, refresh, rpc) and JWT handshake auth
 *   + Gateway           proxies to HTTP backends and forwarding into brokers, when proxy.* / forward.* are set
 * NettyFrontend (Netty, TLS when configured) on host:port; trusted_proxies / proxy_protocol say who the client is;
 *                       the connection deadlines and caps (connections.*) count the direct peer
 *   + HandshakeFilter   503 while draining, else the handshake rate limits
 *   + HttpRouter        /healthz /readyz /metrics (Observability), /admin/* (AdminDashboard),
 *                       /api/* (HttpApi), /sse (SseEndpoint), anything else: the demo page and its files (StaticFiles)
 * Observability's MetricsPortServer on metrics.host:metrics.port, when configured
 * Warmup              clients of the server's own port, before /readyz turns ready (warmup.*)
 * </pre>
 *
 * {@link #start} returns a running server; {@link #drain} is the graceful stop SIGTERM triggers,
 * {@link #close} the immediate one.
 */
public final class SockeyeApplication implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SockeyeApplication.class);

    /** How long a drain waits, after its window, for the last disconnections to finish. */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(3);

    private static final HandshakeFilter.Rejection SHUTTING_DOWN = new HandshakeFilter.Rejection(503,
            "{\"ok\":false,\"error\":{\"code\":\"unavailable\",\"message\":\"server shutting down\"}}", 5);

    /** What a drained client receives in {@code sockeye:error} just before it is disconnected. */
    static final Map<String, Object> SHUTDOWN_NOTICE = shutdownNotice();

    private final ServerConfig config;
    private final ClusterBus bus;
    private final SocketIoServer io;
    private final NettyFrontend http;
    private final TokenVerifier verifier;
    private final RoomsService rooms;
    private final Observability ops;
    private final AdminLogin adminLogin;
    private final AutoCloseable adminUi;
    private final AdminDashboard dashboard;
    private final GatewayMetrics gatewayMetrics;
    private final Gateway gateway;
    private final Warmup warmup;
    private final BusSubscriptions subscriptions;
    private volatile Warmup.Report warmedUp;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile Drain<Socket> drain;

    private SockeyeApplication(ServerConfig config) {
        this.config = config;
        // First, so that unusable TLS files fail before anything else is created.
        SslContext ssl = config.tls() ? Tls.serverContext(config.tlsCert(), config.tlsKey(), config.http2()) : null;
        OriginPolicy origins = new OriginPolicy(config.corsOrigins());
        // Then the bus: an unreachable one refuses the start (see ClusterBus) before a port is bound.
        this.bus = ClusterBus.open(config);
        this.ops = Observability.builder()
                .apiKey(config.apiKey())
                .metricsPort(config.metricsPort())
                .metricsHost(config.metricsHost())
                .version(CommandLineOptions.version())
                .clusterBus(config.redisUrl() != null ? "redis" : config.natsUrl() != null ? "nats" : null)
                .build();
        if (config.redisUrl() != null || config.natsUrl() != null) {
            ops.readiness().watchClusterBus(bus::isConnected, bus.toString());
        }
        ServerOptions.Builder options = ServerOptions.builder()
                .metrics(ops.metrics())
                .adapterFactory(bus.adapterFactory())
                .cookie(config.stickyCookie() ? CookieOptions.defaults() : null)
                .pingInterval(config.pingInterval())
                .pingTimeout(config.pingTimeout())
                .maxHttpBufferSize(config.maxHttpBufferSize())
                .maxBufferedBytes(config.maxBufferedBytes())
                .parser(config.parser())
                .binaryPacketTimeout(config.binaryPacketTimeout())
                .cors(origins.cors())
                .allowRequest(origins.allowRequest());
        Permissions permissions = new Permissions(config.roomRules(), config.allowAnonymous());
        if (config.recovery().enabled()) {
            options.connectionStateRecovery(config.recovery().options(permissions::historySize));
        }
        if (config.maxPendingAttachmentBytes() != null) {
            options.maxPendingAttachmentBytes(config.maxPendingAttachmentBytes());
        }
        this.io = SocketIoServer.create(options.build());
        this.subscriptions = BusSubscriptions.watch(bus, io, ops.readiness());

        Clock clock = Clock.systemUTC();
        this.verifier = new TokenVerifier(config.jwt());
        this.rooms = new RoomsService(io, permissions, verifier, config.limits(), clock);
        rooms.clusterAvailability(bus::isConnected); // always true without a bus
        this.gatewayMetrics = config.gateway().enabled() ? GatewayMetrics.register(ops.prometheus().registry()) : null;
        this.gateway = config.gateway().enabled() ? startGateway(config, gatewayMetrics, clock) : null;
        if (gateway != null) {
            rooms.hooks(gateway);
        }
        if (config.redisUrl() != null || config.natsUrl() != null) {
            ops.exportCluster(bus, io.of("/")::serverCount);
            if (bus.hasStreams()) {
                ops.exportStreamLengths(bus::streamLengths);
                ops.exportStreamMemory(bus::streamMemory);
            }
        }
        rooms.install();
        ops.exportStats(rooms.stats());
        HttpApi api = new HttpApi(rooms, config.apiKey(), config.limits());
        boolean clustered = config.redisUrl() != null || config.natsUrl() != null;
        String hostname = AdminUiOptions.hostname();
        // One password check for the dashboard and the Admin UI: guesses by either count against both.
        this.adminLogin = config.adminPassword() == null ? null
                : AdminLogin.of(AdminCredentials.of("admin", config.adminPassword()));
        this.dashboard = adminLogin == null ? null
                : AdminDashboard.builder(io, adminLogin)
                        .rooms(rooms)
                        .samples(ops.prometheus()::sample)
                        // host:port tells nodes apart on the plots, also several on one host
                        .nodeName(() -> hostname + ":" + port())
                        .clustered(clustered)
                        .gateway(gatewayMetrics == null ? null : gatewayMetrics::snapshot)
                        .build();
        this.adminUi = config.adminUi()
                ? AdminUiNamespace.install(io, AdminUiOptions.of(adminLogin.credentials())
                        .withReadonly(config.adminUiReadonly()).withDevelopment(config.adminUiDevelopment()), adminLogin)
                : null;

        StaticFiles files = StaticFiles.fromClassPath("public");
        if (!files.hasClientBundle()) {
            log.warn("the socket.io-client bundle is missing from the class path (built without Node.js?):"
                    + " the demo page cannot connect; rebuild with npm available");
        }
        HandshakeLimiter limiter = new HandshakeLimiter(config.limits(), clock, rooms.stats());
        // A node whose own port needs a PROXY protocol header skips the warm-up: its clients send none.
        this.warmup = new Warmup(io, config.proxyProtocol() ? WarmupSettings.off() : config.warmup());
        HandshakeFilter filter = request -> draining.get() ? SHUTTING_DOWN
                : warmup.admits(request) ? null : limiter.check(request);

        HttpRouter.Builder routes = HttpRouter.builder().add(ops.routes());
        if (dashboard != null) {
            routes.add(dashboard);
        }
        routes.add(api).add(new SseEndpoint(io, config.limits().maxRoomsPerConnection(), filter, rooms.stats())).add(files);

        this.http = config.connections().applyTo(NettyFrontend.builder())
                .healthCheckPaths(HealthEndpoint.LIVENESS, HealthEndpoint.READINESS)
                .host(config.host())
                .port(config.port())
                .transport(config.transport())
                .ssl(ssl)
                .trustedProxies(config.trustedProxies())
                .proxyProtocol(config.proxyProtocol())
                .perMessageDeflate(config.perMessageDeflate())
                .http2(config.http2())
                .fallback(routes.build())
                .handshakeFilter(filter)
                .attach(io)
                .build();
        ops.exportConnections(http.connectionStats());
    }

    /** The proxies and the brokers' connections; a broker out of reach refuses the start like the cluster bus. */
    private Gateway startGateway(ServerConfig config, GatewayMetrics metrics, Clock clock) {
        try {
            // The proxies' calls run on the front's event loops, there once it has started (before any call).
            return Gateway.start(config.gateway(), metrics, clock, () -> http == null ? null : http.clientBootstrap());
        } catch (IllegalStateException e) {
            bus.close();
            ops.close();
            io.close();
            throw new ConfigException(List.of(e.getMessage()));
        }
    }

    /**
     * Starts a server and returns once it accepts connections, the cluster bus confirmed its
     * subscriptions for namespace "/" (or {@link BusSubscriptions#START_WAIT} passed: {@code /readyz}
     * then stays "cluster subscriptions pending" until they are) and it has warmed up ({@code /readyz}
     * says "warming up" meanwhile).
     *
     * @throws ConfigException when the configuration cannot be used: TLS files that do not hold a
     *                         certificate and key, an address that cannot be bound
     */
    public static SockeyeApplication start(ServerConfig config) {
        return start(config, null);
    }

    /** @param whileWarmingUp runs once in the middle of the warm-up, if there is one (tests) */
    static SockeyeApplication start(ServerConfig config, java.util.function.Consumer<SockeyeApplication> whileWarmingUp) {
        SockeyeApplication app = new SockeyeApplication(config);
        boolean metricsPort = false;
        app.ops.readiness().setWarmingUp(app.warmup.settings().enabled());
        try {
            app.http.start();
            metricsPort = true;
            app.ops.start();
        } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
            closeQuietly(app.http);
            app.io.close();
            app.rooms.close();
            app.verifier.close();
            app.bus.close();
            closeQuietly(app.gateway);
            closeQuietly(app.dashboard);
            closeQuietly(app.adminUi);
            closeQuietly(app.adminLogin);
            app.ops.close();
            String host = metricsPort ? config.metricsHost() : config.host();
            Setting hostKey = metricsPort ? Settings.METRICS_HOST : Settings.HOST;
            if (e instanceof UnresolvedAddressException) {
                throw ConfigException.of(hostKey.key(), "cannot resolve '" + host + "'");
            }
            String where = (host == null ? "*" : host) + ":" + (metricsPort ? config.metricsPort() : config.port());
            throw ConfigException.of((metricsPort ? Settings.METRICS_PORT : Settings.PORT).key(),
                    "cannot listen on " + where + ": " + bindFailure(e));
        }
        app.subscriptions.await(BusSubscriptions.START_WAIT);
        app.logStart();
        try {
            app.warmedUp = app.warmup.run(config.host(), app.port(), config.tls(),
                    whileWarmingUp == null ? null : () -> whileWarmingUp.accept(app));
        } finally {
            app.ops.readiness().setWarmingUp(false);
        }
        return app;
    }

    private static String bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                return t.getMessage(); // e.g. "bind(..) failed with error(-98): Address already in use"
            }
        }
        return e.getClass().getSimpleName();
    }

    private void logStart() {
        log.info("Sockeye {} listening on {} ({})", CommandLineOptions.version(), url(), http.transport().configName());
        log.info("demo chat: {}  health: {}healthz{}", url(), url(),
                config.tls() ? "  TLS: " + Tls.describeProvider() : "");
        log.info("cluster: {}{}", bus, config.stickyCookie() ? "; sticky cookie 'io' on handshakes" : "");
        if (config.anonymousByDefault()) {
            log.warn("*** No JWT key configured, so anonymous access is ON: any connection may subscribe, publish"
                    + " and see presence in any room. Fine for the demo; in production set --jwt-secret,"
                    + " --jwt-public-key-file or --jwks-url (anonymous access then turns off), or pass"
                    + " --allow-anonymous=false. ***");
        } else if (config.allowAnonymous()) {
            log.warn("--allow-anonymous is on: any connection may subscribe, publish and see presence in any room");
        }
        if (config.apiKey() == null) {
            log.info("HTTP API: no --api-key set, so /api/* answers 401");
        }
        if (ops.metricsPort() != null) {
            log.info("metrics on {} (no API key), health probes on the same port", metricsUrl());
        }
        log.debug("configuration: {}", config);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("close failed", e);
            }
        }
    }

    /** What the start-up warm-up did ({@code ran() == false} when it was off). */
    public Warmup.Report warmup() {
        return warmedUp;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return http.port();
    }

    /** The base URL a local browser would use, e.g. {@code http://localhost:3000/}. */
    public String url() {
        return (config.tls() ? "https" : "http") + "://" + browsable(config.host()) + ":" + port() + "/";
    }

    /** The bound metrics port ({@code --metrics-port}; useful with 0), or {@code null} without one. */
    public Integer metricsPort() {
        return ops.metricsPort();
    }

    /** {@code http://host:port/metrics} of the metrics port, or {@code null} without one. */
    public String metricsUrl() {
        Integer port = ops.metricsPort();
        return port == null ? null : "http://" + browsable(config.metricsHost()) + ":" + port + "/metrics";
    }

    /** A bound host as a local browser reaches it: {@code localhost} for all interfaces, IPv6 in brackets. */
    private static String browsable(String host) {
        if (host == null || host.equals("0.0.0.0") || host.equals("::")) {
            return "localhost";
        }
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    public ServerConfig config() {
        return config;
    }

    /** The Socket.IO server underneath (tests, embedding). */
    public SocketIoServer io() {
        return io;
    }

    /** The cluster bus ({@link ClusterBus#none()} for a single node); its state is what readiness reports. */
    public ClusterBus cluster() {
        return bus;
    }

    /** Whether a drain has begun (new handshakes get 503, {@code /healthz} reports draining). */
    public boolean draining() {
        return draining.get();
    }

    /**
     * The graceful stop: refuses new connections (503 with {@code Retry-After}), disconnects the open
     * ones in random order spread over {@code window}, then closes the server. Blocks until done;
     * a second call (e.g. a second SIGTERM) while draining makes the first finish at once.
     *
     * <p>Each client first receives {@code sockeye:error {code: "unavailable", message: "server shutting
     * down"}}, then its connection is closed without a DISCONNECT packet, as socket.io's own shutdown
     * does: clients see {@code transport close} and reconnect with their own backoff — to another
     * node behind the load balancer, or to this one once it is back. The server-side reason is
     * {@code server shutting down}.
     */
    public void drain(Duration window) {
        if (!draining.compareAndSet(false, true)) {
            Drain<Socket> current = drain;
            if (current != null) {
                log.info("second stop request: disconnecting the remaining clients now");
                current.hurry();
            }
            stopped.join();
            return;
        }
        ops.readiness().setDraining(true);
        List<Socket> sockets = new ArrayList<>(io.sockets().sockets());
        log.info("draining: refusing new connections, disconnecting {} clients over {} ms", sockets.size(),
                window.toMillis());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sockeye-drain");
            t.setDaemon(true);
            return t;
        });
        try {
            Drain<Socket> d = new Drain<>(sockets, SockeyeApplication::disconnectForShutdown, new SecureRandom());
            drain = d;
            try {
                d.start(window, (task, delay) -> timer.schedule(task, delay, TimeUnit.MILLISECONDS)).get(window.toMillis() + DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                log.warn("drain window passed with clients left; closing them now");
                d.hurry();
            }
            awaitDisconnections(DRAIN_GRACE);
            log.info("drained {} clients; closing", d.closed());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("drain failed; closing now", e);
        } finally {
            timer.shutdownNow();
            close();
        }
    }

    /**
     * Tells the client why, the way the rooms service does before it disconnects anyone
     * ({@code sockeye:error}), then disconnects it. Both hop to the connection's event loop in this
     * order, so the client reads the reason before the disconnection.
     */
    private static void disconnectForShutdown(Socket socket) {
        socket.emit(RoomsService.ERROR_EVENT, SHUTDOWN_NOTICE);
        socket.closeConnection(DisconnectReason.SERVER_SHUTTING_DOWN);
    }

    // Disconnections complete on each connection's event loop; give them a moment before the
    // server closes the event loops under them.
    private void awaitDisconnections(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!io.sockets().sockets().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Stops now: closes every connection ({@code server shutting down}) and the port. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            stopped.join();
            return;
        }
        try {
            http.close(); // closes the Socket.IO server and with it each namespace's adapter
        } finally {
            bus.close(); // after the adapters, which announce their departure on it
            rooms.close();
            closeQuietly(gateway); // after the connections, whose last requests it may still answer
            closeQuietly(adminUi);
            closeQuietly(dashboard);
            closeQuietly(adminLogin);
            ops.close();
            verifier.close();
            stopped.complete(null);
            log.info("stopped");
        }
    }

    private static Map<String, Object> shutdownNotice() {
        Map<String, Object> notice = new LinkedHashMap<>(); // {code, message}, in this order like every error
        notice.put("code", "unavailable");
        notice.put("message", "server shutting down");
        return Collections.unmodifiableMap(notice);
    }

    /** Completes once the server has stopped. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }
}
