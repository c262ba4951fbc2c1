package io.sockeye.spring.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sockeye.*} properties: the embedded Socket.IO server, its cluster adapter and its place in
 * the application's lifecycle. Defaults match socket.io 4.8 and the standalone server; docs/spring.md
 * lists every key.
 */
@ConfigurationProperties(prefix = "sockeye")
public class SockeyeProperties {

    /** Whether to start the Socket.IO server. */
    private boolean enabled = true;
    /** Address to bind; all interfaces when empty. */
    private String host;
    /** Port of the Socket.IO server (its own port, next to the web server's); 0 picks a free one. */
    private int port = 3000;
    /** Path the Engine.IO endpoint is served on. */
    private String path = "/socket.io/";
    /** Event-loop threads; 0 is Netty's default (2 x cores). */
    private int threads = 0;
    /** Interval of the server's heartbeat pings. */
    private Duration pingInterval = Duration.ofSeconds(25);
    /** How long to wait for a pong before closing the connection. */
    private Duration pingTimeout = Duration.ofSeconds(20);
    /** How long an upgrade from long-polling to WebSocket may take. */
    private Duration upgradeTimeout = Duration.ofSeconds(10);
    /** How long a client has to connect to a namespace after its handshake. */
    private Duration connectTimeout = Duration.ofSeconds(45);
    /** The largest message (and long-polling body) accepted. */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize maxHttpBufferSize = DataSize.ofBytes(1_000_000);
    /** Transports clients may use, in order of preference. */
    private List<String> transports = new ArrayList<>(List.of("polling", "websocket"));
    /** Where handlers run: the application's task executor (blocking allowed) or Netty's event loops. */
    private HandlerExecutor handlerExecutor = HandlerExecutor.TASK_EXECUTOR;
    private final Cors cors = new Cors();
    private final Limits limits = new Limits();
    private final Ssl ssl = new Ssl();
    private final Cluster cluster = new Cluster();
    private final Lifecycle lifecycle = new Lifecycle();
    private final Security security = new Security();

    /** Where annotated handlers and listeners run. */
    public enum HandlerExecutor {
        /** Boot's {@code applicationTaskExecutor} (virtual threads with {@code spring.threads.virtual.enabled}). */
        TASK_EXECUTOR,
        /** The connection's event loop: fastest, but a handler must never block. */
        EVENT_LOOP
    }

    /** Cross-origin requests from browsers (long-polling; WebSocket is not subject to CORS). */
    public static class Cors {
        /** Origins allowed, e.g. https://app.example.com; "*" allows any. None: CORS off. */
        private List<String> allowedOrigins = new ArrayList<>();
        /** Whether to allow credentials (cookies) on cross-origin requests. */
        private boolean allowCredentials;

        public List<String> getAllowedOrigins() { return allowedOrigins; }
        public void setAllowedOrigins(List<String> allowedOrigins) { this.allowedOrigins = allowedOrigins; }
        public boolean isAllowCredentials() { return allowCredentials; }
        public void setAllowCredentials(boolean allowCredentials) { this.allowCredentials = allowCredentials; }
    }

    /** Per-connection back-pressure. */
    public static class Limits {
        /** Unsent bytes above which a connection is "not writable" and volatile packets are dropped. */
        private DataSize writeBufferHighWaterMark = DataSize.ofKilobytes(64);
        /** Unsent bytes past which a connection is closed as a slow consumer. */
        private DataSize maxBufferedBytes = DataSize.ofMegabytes(8);

        public DataSize getWriteBufferHighWaterMark() { return writeBufferHighWaterMark; }
        public void setWriteBufferHighWaterMark(DataSize v) { this.writeBufferHighWaterMark = v; }
        public DataSize getMaxBufferedBytes() { return maxBufferedBytes; }
        public void setMaxBufferedBytes(DataSize v) { this.maxBufferedBytes = v; }
    }

    /** https/wss on the Socket.IO port. */
    public static class Ssl {
        /** PEM certificate chain, e.g. file:/etc/tls/tls.crt. TLS is on when set. */
        private Resource certificate;
        /** PEM private key (PKCS#8) of the certificate. */
        private Resource certificatePrivateKey;

        public Resource getCertificate() { return certificate; }
        public void setCertificate(Resource certificate) { this.certificate = certificate; }
        public Resource getCertificatePrivateKey() { return certificatePrivateKey; }
        public void setCertificatePrivateKey(Resource key) { this.certificatePrivateKey = key; }
    }

    /** A cluster adapter, so that rooms and broadcasts span several instances. */
    public static class Cluster {
        private final Url redis = new Url();
        private final Url nats = new Url();

        public Url getRedis() { return redis; }
        public Url getNats() { return nats; }
    }

    /** A bus URL. */
    public static class Url {
        /** The bus URL: redis://host:6379 (sockeye-adapter-redis) or nats://host:4222 (sockeye-adapter-nats). */
        private String url;

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
    }

    /** Start and stop. */
    public static class Lifecycle {
        /** SmartLifecycle phase: started after, and stopped before, beans of lower phases. */
        private int phase = Integer.MAX_VALUE - 1024;
        /** On a graceful shutdown, how long to spread the clients' disconnection over (not all reconnect at once). */
        private Duration drainWindow = Duration.ofSeconds(5);

        public int getPhase() { return phase; }
        public void setPhase(int phase) { this.phase = phase; }
        public Duration getDrainWindow() { return drainWindow; }
        public void setDrainWindow(Duration drainWindow) { this.drainWindow = drainWindow; }
    }

    /** Authentication of connecting sockets (when a HandshakeAuthenticator is configured). */
    public static class Security {
        /** Whether sockets without credentials may connect (their principal is then null). */
        private boolean allowAnonymous;

        public boolean isAllowAnonymous() { return allowAnonymous; }
        public void setAllowAnonymous(boolean allowAnonymous) { this.allowAnonymous = allowAnonymous; }
    }

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public String getHost() { return host; }
    public void setHost(String host) { this.host = host; }
    public int getPort() { return port; }
    public void setPort(int port) { this.port = port; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }
    public int getThreads() { return threads; }
    public void setThreads(int threads) { this.threads = threads; }
    public Duration getPingInterval() { return pingInterval; }
    public void setPingInterval(Duration pingInterval) { this.pingInterval = pingInterval; }
    public Duration getPingTimeout() { return pingTimeout; }
    public void setPingTimeout(Duration pingTimeout) { this.pingTimeout = pingTimeout; }
    public Duration getUpgradeTimeout() { return upgradeTimeout; }
    public void setUpgradeTimeout(Duration upgradeTimeout) { this.upgradeTimeout = upgradeTimeout; }
    public Duration getConnectTimeout() { return connectTimeout; }
    public void setConnectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; }
    public DataSize getMaxHttpBufferSize() { return maxHttpBufferSize; }
    public void setMaxHttpBufferSize(DataSize maxHttpBufferSize) { this.maxHttpBufferSize = maxHttpBufferSize; }
    public List<String> getTransports() { return transports; }
    public void setTransports(List<String> transports) { this.transports = transports; }
    public HandlerExecutor getHandlerExecutor() { return handlerExecutor; }
    public void setHandlerExecutor(HandlerExecutor handlerExecutor) { this.handlerExecutor = handlerExecutor; }
    public Cors getCors() { return cors; }
    public Limits getLimits() { return limits; }
    public Ssl getSsl() { return ssl; }
    public Cluster getCluster() { return cluster; }
    public Lifecycle getLifecycle() { return lifecycle; }
    public Security getSecurity() { return security; }
}
