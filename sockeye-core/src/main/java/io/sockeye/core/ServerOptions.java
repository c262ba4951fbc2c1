package io.sockeye.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.recovery.ConnectionStateRecovery;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Immutable server options. Build with {@link #builder()}; every default matches socket.io 4.8 /
 * engine.io 6.6 unless noted.
 *
 * <table>
 * <caption>Options and defaults</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>path</td><td>{@code /socket.io/}</td><td>HTTP path the server answers on (trailing slash added)</td></tr>
 * <tr><td>pingInterval</td><td>25 s</td><td>how often the server sends a ping</td></tr>
 * <tr><td>pingTimeout</td><td>20 s</td><td>how long to wait for the pong before closing with {@code ping timeout}</td></tr>
 * <tr><td>upgradeTimeout</td><td>10 s</td><td>how long a polling→WebSocket upgrade may take</td></tr>
 * <tr><td>maxHttpBufferSize</td><td>1,000,000 bytes</td><td>largest polling POST body / WebSocket message; larger ones close the session (413 for polling)</td></tr>
 * <tr><td>transports</td><td>{@code polling, websocket}</td><td>allowed transports</td></tr>
 * <tr><td>allowUpgrades</td><td>true</td><td>whether polling sessions may upgrade to WebSocket</td></tr>
 * <tr><td>connectTimeout</td><td>45 s</td><td>close a connection that joins no namespace within this time</td></tr>
 * <tr><td>cors</td><td>off</td><td>{@link CorsOptions} for polling requests</td></tr>
 * <tr><td>cookie</td><td>off</td><td>{@link CookieOptions} sticky cookie on the handshake</td></tr>
 * <tr><td>allowRequest</td><td>none</td><td>{@link AllowRequest} hook that may reject handshakes with 403</td></tr>
 * <tr><td>objectMapper</td><td>a plain Jackson {@code ObjectMapper}</td><td>maps event arguments to and from POJOs/records</td></tr>
 * <tr><td>handlerExecutor</td><td>none (the connection's event loop)</td><td>where user event handlers run; set it for blocking code</td></tr>
 * <tr><td>writeBufferHighWaterMark</td><td>64 KiB</td><td>above it a connection is "not writable": volatile packets to it are dropped (Sockeye)</td></tr>
 * <tr><td>writeBufferLowWaterMark</td><td>32 KiB</td><td>below it the connection is writable again (Sockeye)</td></tr>
 * <tr><td>maxBufferedBytes</td><td>8 MiB</td><td>a connection whose unsent bytes pass this is closed with reason {@code slow consumer} (Sockeye)</td></tr>
 * <tr><td>binaryPacketTimeout</td><td>pingInterval + pingTimeout, at least 30 s</td><td>a binary packet whose attachments have not all arrived within this time closes its connection with {@code transport error} (Sockeye)</td></tr>
 * <tr><td>maxPendingAttachmentBytes</td><td>a quarter of the maximum heap</td><td>bytes this server holds for binary packets still awaiting attachments, over all connections; the connection that would pass it is closed with {@code transport error} (Sockeye)</td></tr>
 * <tr><td>adapterFactory</td><td>{@link AdapterFactory#inMemory()}</td><td>creates each namespace's rooms/broadcast adapter (single node by default; cluster adapters plug in here)</td></tr>
 * <tr><td>metrics</td><td>{@link SockeyeMetrics#NOOP}</td><td>receives what the server observes (sessions, packets, broadcasts, acks) for a metrics registry (Sockeye)</td></tr>
 * <tr><td>connectionStateRecovery</td><td>off</td><td>{@link ConnectionStateRecovery}: restore a client's socket, rooms, data and missed events when it comes back within the window (socket.io's option; history bounds are Sockeye's)</td></tr>
 * <tr><td>parser</td><td>{@link Parser#JSON}</td><td>the packet format: socket.io's default, socket.io-msgpack-parser's, or either per connection ({@link Parser#AUTO}, Sockeye)</td></tr>
 * </table>
 */
public final class ServerOptions {

    private static final Duration MIN_DEFAULT_BINARY_PACKET_TIMEOUT = Duration.ofSeconds(30);

    private final String path;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration upgradeTimeout;
    private final long maxHttpBufferSize;
    private final List<String> transports;
    private final boolean allowUpgrades;
    private final Duration connectTimeout;
    private final CorsOptions cors;
    private final CookieOptions cookie;
    private final AllowRequest allowRequest;
    private final ObjectMapper objectMapper;
    private final Executor handlerExecutor;
    private final int writeBufferHighWaterMark;
    private final int writeBufferLowWaterMark;
    private final long maxBufferedBytes;
    private final Duration binaryPacketTimeout;
    private final long maxPendingAttachmentBytes;
    private final AdapterFactory adapterFactory;
    private final SockeyeMetrics metrics;
    private final ConnectionStateRecovery connectionStateRecovery;
    private final Parser parser;

    private ServerOptions(Builder b) {
        this.path = normalizePath(b.path);
        this.pingInterval = positive("pingInterval", b.pingInterval);
        this.pingTimeout = positive("pingTimeout", b.pingTimeout);
        this.upgradeTimeout = positive("upgradeTimeout", b.upgradeTimeout);
        if (b.maxHttpBufferSize <= 0) {
            throw new IllegalArgumentException("maxHttpBufferSize must be positive");
        }
        this.maxHttpBufferSize = b.maxHttpBufferSize;
        this.transports = List.copyOf(b.transports);
        if (transports.isEmpty()) {
            throw new IllegalArgumentException("transports must not be empty");
        }
        for (String t : transports) {
            if (!t.equals("polling") && !t.equals("websocket")) {
                throw new IllegalArgumentException("transports: unknown transport '" + t + "'");
            }
        }
        this.allowUpgrades = b.allowUpgrades;
        this.connectTimeout = positive("connectTimeout", b.connectTimeout);
        this.cors = b.cors;
        this.cookie = b.cookie;
        this.allowRequest = b.allowRequest;
        this.objectMapper = Objects.requireNonNull(b.objectMapper, "objectMapper");
        this.handlerExecutor = b.handlerExecutor;
        if (b.writeBufferLowWaterMark <= 0 || b.writeBufferHighWaterMark < b.writeBufferLowWaterMark) {
            throw new IllegalArgumentException("writeBuffer water marks must satisfy 0 < low <= high");
        }
        this.writeBufferHighWaterMark = b.writeBufferHighWaterMark;
        this.writeBufferLowWaterMark = b.writeBufferLowWaterMark;
        if (b.maxBufferedBytes < b.writeBufferHighWaterMark) {
            throw new IllegalArgumentException("maxBufferedBytes must be at least writeBufferHighWaterMark");
        }
        this.maxBufferedBytes = b.maxBufferedBytes;
        this.binaryPacketTimeout = b.binaryPacketTimeout == null ? null
                : positive("binaryPacketTimeout", b.binaryPacketTimeout);
        if (b.maxPendingAttachmentBytes <= 0) {
            throw new IllegalArgumentException("maxPendingAttachmentBytes must be positive");
        }
        this.maxPendingAttachmentBytes = b.maxPendingAttachmentBytes;
        this.adapterFactory = Objects.requireNonNull(b.adapterFactory, "adapterFactory");
        this.metrics = Objects.requireNonNull(b.metrics, "metrics");
        this.connectionStateRecovery = b.connectionStateRecovery;
        this.parser = Objects.requireNonNull(b.parser, "parser");
    }

    private static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    private static String normalizePath(String p) {
        Objects.requireNonNull(p, "path");
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        return p.endsWith("/") ? p : p + "/";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static ServerOptions defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.path = path;
        b.pingInterval = pingInterval;
        b.pingTimeout = pingTimeout;
        b.upgradeTimeout = upgradeTimeout;
        b.maxHttpBufferSize = maxHttpBufferSize;
        b.transports = transports;
        b.allowUpgrades = allowUpgrades;
        b.connectTimeout = connectTimeout;
        b.cors = cors;
        b.cookie = cookie;
        b.allowRequest = allowRequest;
        b.objectMapper = objectMapper;
        b.handlerExecutor = handlerExecutor;
        b.writeBufferHighWaterMark = writeBufferHighWaterMark;
        b.writeBufferLowWaterMark = writeBufferLowWaterMark;
        b.maxBufferedBytes = maxBufferedBytes;
        b.binaryPacketTimeout = binaryPacketTimeout;
        b.maxPendingAttachmentBytes = maxPendingAttachmentBytes;
        b.adapterFactory = adapterFactory;
        b.metrics = metrics;
        b.connectionStateRecovery = connectionStateRecovery;
        b.parser = parser;
        return b;
    }

    /** The HTTP path, always with leading and trailing slash, e.g. {@code /socket.io/}. */
    public String path() { return path; }
    public Duration pingInterval() { return pingInterval; }
    public Duration pingTimeout() { return pingTimeout; }
    public Duration upgradeTimeout() { return upgradeTimeout; }
    public long maxHttpBufferSize() { return maxHttpBufferSize; }
    public List<String> transports() { return transports; }
    public boolean allowUpgrades() { return allowUpgrades; }
    public Duration connectTimeout() { return connectTimeout; }
    /** CORS rules, or {@code null} when CORS is off. */
    public CorsOptions cors() { return cors; }
    /** Sticky cookie, or {@code null} when off. */
    public CookieOptions cookie() { return cookie; }
    /** Handshake hook, or {@code null}. */
    public AllowRequest allowRequest() { return allowRequest; }
    public ObjectMapper objectMapper() { return objectMapper; }
    /**
     * Executor for user handlers, or {@code null} to run them on the connection's event loop. When set,
     * each socket's handlers still run one at a time and in order (a serial queue per socket over this
     * executor), so blocking code is fine; on JDK 21+ pass
     * {@code Executors.newVirtualThreadPerTaskExecutor()}.
     */
    public Executor handlerExecutor() { return handlerExecutor; }
    public int writeBufferHighWaterMark() { return writeBufferHighWaterMark; }
    public int writeBufferLowWaterMark() { return writeBufferLowWaterMark; }
    public long maxBufferedBytes() { return maxBufferedBytes; }
    /**
     * How long a binary packet may wait for its attachments; by default the heartbeat's own window
     * (pingInterval + pingTimeout: a client that cannot send one message's parts in the time it has to
     * answer a ping is treated as gone), but at least 30 s, so that short test heartbeats do not cut off
     * a polling client whose attachments follow in the next request on a busy machine.
     */
    public Duration binaryPacketTimeout() {
        if (binaryPacketTimeout != null) {
            return binaryPacketTimeout;
        }
        Duration heartbeat = pingInterval.plus(pingTimeout);
        return heartbeat.compareTo(MIN_DEFAULT_BINARY_PACKET_TIMEOUT) < 0 ? MIN_DEFAULT_BINARY_PACKET_TIMEOUT : heartbeat;
    }
    /** The most bytes held, over all connections, for binary packets still awaiting attachments. */
    public long maxPendingAttachmentBytes() { return maxPendingAttachmentBytes; }
    /** Creates the {@link io.sockeye.core.adapter.Adapter} of each namespace. */
    public AdapterFactory adapterFactory() { return adapterFactory; }
    /** Where the server reports what it observes; {@link SockeyeMetrics#NOOP} unless set. */
    public SockeyeMetrics metrics() { return metrics; }
    /** Connection state recovery settings, or {@code null} when recovery is off (the default). */
    public ConnectionStateRecovery connectionStateRecovery() { return connectionStateRecovery; }
    /** The packet format clients must use ({@link Parser#AUTO}: either, recognised per connection). */
    public Parser parser() { return parser; }

    public boolean transportAllowed(String name) {
        return transports.contains(name);
    }

    /** Mutable builder; {@link #build()} validates and fails fast naming the option. */
    public static final class Builder {
        private String path = "/socket.io/";
        private Duration pingInterval = Duration.ofMillis(25_000);
        private Duration pingTimeout = Duration.ofMillis(20_000);
        private Duration upgradeTimeout = Duration.ofMillis(10_000);
        private long maxHttpBufferSize = 1_000_000;
        private List<String> transports = List.of("polling", "websocket");
        private boolean allowUpgrades = true;
        private Duration connectTimeout = Duration.ofMillis(45_000);
        private CorsOptions cors;
        private CookieOptions cookie;
        private AllowRequest allowRequest;
        private ObjectMapper objectMapper = new ObjectMapper();
        private Executor handlerExecutor;
        private int writeBufferHighWaterMark = 64 * 1024;
        private int writeBufferLowWaterMark = 32 * 1024;
        private long maxBufferedBytes = 8L * 1024 * 1024;
        private Duration binaryPacketTimeout;
        private long maxPendingAttachmentBytes = Runtime.getRuntime().maxMemory() / 4;
        private AdapterFactory adapterFactory = AdapterFactory.inMemory();
        private SockeyeMetrics metrics = SockeyeMetrics.NOOP;
        private ConnectionStateRecovery connectionStateRecovery;
        private Parser parser = Parser.JSON;

        private Builder() {
        }

        public Builder path(String path) { this.path = path; return this; }
        public Builder pingInterval(Duration d) { this.pingInterval = d; return this; }
        public Builder pingTimeout(Duration d) { this.pingTimeout = d; return this; }
        public Builder upgradeTimeout(Duration d) { this.upgradeTimeout = d; return this; }
        public Builder maxHttpBufferSize(long bytes) { this.maxHttpBufferSize = bytes; return this; }
        public Builder transports(String... names) { this.transports = List.of(names); return this; }
        public Builder allowUpgrades(boolean allow) { this.allowUpgrades = allow; return this; }
        public Builder connectTimeout(Duration d) { this.connectTimeout = d; return this; }
        public Builder cors(CorsOptions cors) { this.cors = cors; return this; }
        public Builder cookie(CookieOptions cookie) { this.cookie = cookie; return this; }
        public Builder allowRequest(AllowRequest hook) { this.allowRequest = hook; return this; }
        public Builder objectMapper(ObjectMapper mapper) { this.objectMapper = mapper; return this; }
        public Builder handlerExecutor(Executor executor) { this.handlerExecutor = executor; return this; }
        public Builder writeBufferWaterMarks(int low, int high) {
            this.writeBufferLowWaterMark = low;
            this.writeBufferHighWaterMark = high;
            return this;
        }
        public Builder maxBufferedBytes(long bytes) { this.maxBufferedBytes = bytes; return this; }
        /** {@code null} restores the default, pingInterval + pingTimeout (at least 30 s). */
        public Builder binaryPacketTimeout(Duration d) { this.binaryPacketTimeout = d; return this; }
        public Builder maxPendingAttachmentBytes(long bytes) { this.maxPendingAttachmentBytes = bytes; return this; }
        public Builder adapterFactory(AdapterFactory factory) { this.adapterFactory = factory; return this; }
        /** Reports sessions, packets, broadcasts and acks to {@code metrics} (e.g. a Prometheus registry). */
        public Builder metrics(SockeyeMetrics metrics) { this.metrics = metrics; return this; }
        /** The packet format: {@link Parser#JSON} (default), {@link Parser#MSGPACK} or {@link Parser#AUTO}. */
        public Builder parser(Parser parser) { this.parser = parser; return this; }

        /**
         * Turns connection state recovery on (socket.io's {@code connectionStateRecovery:
         * {maxDisconnectionDuration, skipMiddlewares}}), with the default history bounds.
         */
        public Builder connectionStateRecovery(Duration maxDisconnectionDuration, boolean skipMiddlewares) {
            this.connectionStateRecovery = ConnectionStateRecovery.of(maxDisconnectionDuration, skipMiddlewares);
            return this;
        }

        /** Connection state recovery with every setting given; {@code null} turns it off. */
        public Builder connectionStateRecovery(ConnectionStateRecovery recovery) {
            this.connectionStateRecovery = recovery;
            return this;
        }

        public ServerOptions build() {
            return new ServerOptions(this);
        }
    }
}
