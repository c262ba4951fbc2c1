package io.sockeye.server.config;

import io.sockeye.core.Parser;
import io.sockeye.core.spi.transport.TrustedProxies;
import io.sockeye.netty.Transport;
import io.sockeye.netty.PerMessageDeflate;
import io.sockeye.server.auth.JwtSettings;
import io.sockeye.server.auth.RoomRule;
import io.sockeye.server.limits.ConnectionSettings;
import io.sockeye.server.gateway.GatewaySettings;
import io.sockeye.server.limits.LimitsSettings;
import io.sockeye.server.warmup.WarmupSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The standalone server's resolved configuration (defaults &lt; YAML &lt; environment &lt; flags),
 * validated. Build it with {@link ConfigLoader}; every key is described in {@link Settings} and
 * {@code docs/configuration.md}.
 *
 * @param host               address to bind, or {@code null} for all interfaces
 * @param port               port, 0 for a free one
 * @param tlsCert            PEM certificate chain, or {@code null} for plain http/ws
 * @param tlsKey             PEM private key; set exactly when {@code tlsCert} is
 * @param corsOrigins        browser origins allowed besides the server's own; empty = same origin only;
 *                           {@code ["*"]} = any origin
 * @param trustedProxies     proxies whose forwarding headers (and PROXY protocol headers) name the client
 * @param proxyProtocol      connections from trusted proxies begin with a PROXY protocol header
 * @param parser             the Socket.IO packet format clients must use (auto: either, per connection)
 * @param allowAnonymous     the effective demo shortcut
 * @param anonymousByDefault whether {@code allowAnonymous} was turned on automatically because no JWT
 *                           key is configured (the server then warns at start)
 * @param jwt                token verification settings ({@link JwtSettings#none()} when unset)
 * @param roomRules          per-room-pattern permission rules, in file order
 * @param apiKey             bearer key of the HTTP API, or {@code null} (API answers 401)
 * @param adminPassword      password of the admin endpoints, or {@code null}
 * @param redisUrl           clustering over Redis ({@code ?mode=sharded} for sharded pub/sub), or {@code null}
 * @param natsUrl            clustering over NATS, or {@code null}; never set together with {@code redisUrl}
 * @param stickyCookie       set the {@code io} cookie on handshakes, for cookie-based load balancer affinity
 * @param adminUi            serve the official Socket.IO Admin UI's {@code /admin} namespace
 * @param adminUiReadonly    the Admin UI may only look (no emit/join/leave/disconnect)
 * @param adminUiDevelopment the Admin UI's development mode: every socket, room change and event is reported
 * @param limits             rate and size limits
 * @param connections        TCP connection deadlines and caps
 * @param pingInterval       Engine.IO ping interval
 * @param pingTimeout        Engine.IO ping timeout
 * @param maxHttpBufferSize  Engine.IO message size cap
 * @param binaryPacketTimeout how long a binary message may wait for its attachments, or {@code null} for
 *                           pingInterval + pingTimeout (at least 30 s)
 * @param maxPendingAttachmentBytes bytes held for binary messages awaiting attachments, node-wide, or
 *                           {@code null} for the default (a quarter of the heap)
 * @param maxBufferedBytes   unsent bytes a connection may have queued before it is cut off as a slow consumer
 * @param drainWindow        how long SIGTERM takes to disconnect everyone (0 = all at once)
 * @param metricsPort        port of the operators' server ({@code /metrics} without the API key, probes), or
 *                           {@code null} for none (then {@code /metrics} is on {@code port} behind the API key)
 * @param metricsHost        address of that port, or {@code null} for {@code host}
 * @param logLevel           root log level, lower case
 * @param logFormat          {@code text} or {@code json}
 * @param gateway            proxies to HTTP backends and forwarding of client events into brokers
 * @param recovery           connection state recovery and room history
 * @param transport          the event loops' network I/O ({@code auto}: epoll on Linux, else NIO)
 * @param warmup             the start-up warm-up before {@code /readyz} turns ready
 * @param perMessageDeflate  WebSocket compression ({@code per_message_deflate.*}), or {@link PerMessageDeflate#DISABLED}
 * @param http2              whether connections may speak HTTP/2 (h2 by ALPN with TLS, h2c by prior knowledge without)
 */
public record ServerConfig(String host, int port, Path tlsCert, Path tlsKey, List<String> corsOrigins,
                           TrustedProxies trustedProxies, boolean proxyProtocol, Parser parser,
                           boolean allowAnonymous, boolean anonymousByDefault, JwtSettings jwt,
                           List<RoomRule> roomRules, String apiKey, String adminPassword, URI redisUrl,
                           URI natsUrl, boolean stickyCookie, boolean adminUi, boolean adminUiReadonly,
                           boolean adminUiDevelopment, LimitsSettings limits, ConnectionSettings connections,
                           Duration pingInterval, Duration pingTimeout, long maxHttpBufferSize,
                           Duration binaryPacketTimeout, Long maxPendingAttachmentBytes, long maxBufferedBytes,
                           Duration drainWindow, Integer metricsPort, String metricsHost,
                           String logLevel, String logFormat, GatewaySettings gateway,
                           RecoverySettings recovery, Transport transport,
                           WarmupSettings warmup, PerMessageDeflate perMessageDeflate, boolean http2) {

    public ServerConfig {
        corsOrigins = List.copyOf(corsOrigins);
        roomRules = List.copyOf(roomRules);
        Objects.requireNonNull(jwt, "jwt");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(recovery, "recovery");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(perMessageDeflate, "perMessageDeflate");
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("tls.cert and tls.key go together");
        }
    }

    /** The configuration with nothing set: what a plain {@code bin/sockeye} runs with. */
    public static ServerConfig defaults() {
        return ConfigLoader.load(new String[0]);
    }

    public boolean tls() {
        return tlsCert != null;
    }

    /** Whether any browser origin may connect ({@code cors_origins: ["*"]}). */
    public boolean anyOrigin() {
        return corsOrigins.contains("*");
    }

    /** A copy listening on another port (tests use 0). */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, tlsCert, tlsKey, corsOrigins, trustedProxies, proxyProtocol, parser,
                allowAnonymous, anonymousByDefault,
                jwt, roomRules, apiKey, adminPassword, redisUrl, natsUrl, stickyCookie, adminUi, adminUiReadonly,
                adminUiDevelopment, limits, connections, pingInterval, pingTimeout, maxHttpBufferSize,
                binaryPacketTimeout, maxPendingAttachmentBytes, maxBufferedBytes, drainWindow, metricsPort,
                metricsHost, logLevel, logFormat, gateway, recovery, transport, warmup, perMessageDeflate, http2);
    }

    /** Secrets (JWT secret, API key, admin password) are never printed. */
    @Override
    public String toString() {
        return "ServerConfig[host=" + (host == null ? "*" : host) + ", port=" + port
                + ", tls=" + (tls() ? tlsCert + " + " + tlsKey : "off")
                + ", corsOrigins=" + (corsOrigins.isEmpty() ? "same origin" : corsOrigins)
                + (trustedProxies.isEmpty() ? "" : ", trustedProxies=" + trustedProxies)
                + (proxyProtocol ? ", proxyProtocol=on" : "")
                + (parser == Parser.JSON ? "" : ", parser=" + parser.name().toLowerCase(Locale.ROOT))
                + (perMessageDeflate.isEnabled() ? ", perMessageDeflate=" + perMessageDeflate.threshold() + "B" : "")
                + (http2 ? ", http2=on" : "")
                + ", allowAnonymous=" + allowAnonymous + (anonymousByDefault ? " (default: no JWT key)" : "")
                + ", jwt=" + describeJwt()
                + ", roomRules=" + roomRules.size()
                + ", apiKey=" + (apiKey == null ? "none" : "****")
                + ", adminPassword=" + (adminPassword == null ? "none" : "****")
                + ", cluster=" + describeCluster() + (stickyCookie ? ", stickyCookie=io" : "")
                + ", limits=" + limits + ", connections=" + connections + ", maxBufferedBytes=" + maxBufferedBytes
                + ", pingInterval=" + pingInterval + ", pingTimeout=" + pingTimeout
                + ", maxHttpBufferSize=" + maxHttpBufferSize
                + (binaryPacketTimeout == null ? "" : ", binaryPacketTimeout=" + binaryPacketTimeout)
                + (maxPendingAttachmentBytes == null ? "" : ", maxPendingAttachmentBytes=" + maxPendingAttachmentBytes)
                + ", recovery=" + recovery
                + ", drainWindow=" + drainWindow
                + (adminUi ? ", adminUi=" + (adminUiDevelopment ? "development" : "production")
                        + (adminUiReadonly ? "/readonly" : "") : "")
                + (metricsPort == null ? "" : ", metrics=" + (metricsHost == null ? "*" : metricsHost) + ":" + metricsPort)
                + (gateway.enabled() ? ", gateway=" + gateway.proxies().keySet() + (gateway.forward().enabled() ? "+forward" : "") : "")
                + ", transport=" + transport.configName()
                + ", warmup=" + (warmup.enabled() ? "max " + warmup.timeout().toMillis() + "ms" : "off")
                + ", log=" + logLevel + "/" + logFormat + "]";
    }

    // Host and port only: the URL may carry a password.
    private String describeCluster() {
        if (redisUrl != null) {
            return RedisUrl.of(redisUrl).describe();
        }
        if (natsUrl != null) {
            return "nats " + natsUrl.getHost() + ":" + natsUrl.getPort();
        }
        return "none";
    }

    private String describeJwt() {
        if (!jwt.enabled()) {
            return "off";
        }
        StringBuilder b = new StringBuilder();
        if (jwt.hmacSecret() != null) {
            b.append("hmac-secret ");
        }
        if (jwt.publicKeyPem() != null) {
            b.append("public-key=").append(jwt.publicKeyPem()).append(' ');
        }
        if (jwt.jwksUrl() != null) {
            b.append("jwks=").append(jwt.jwksUrl()).append(' ');
        }
        if (jwt.issuer() != null) {
            b.append("iss=").append(jwt.issuer()).append(' ');
        }
        if (jwt.audience() != null) {
            b.append("aud=").append(jwt.audience()).append(' ');
        }
        return b.toString().trim();
    }
}
