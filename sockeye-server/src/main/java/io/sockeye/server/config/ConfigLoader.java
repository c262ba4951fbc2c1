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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Builds a {@link ServerConfig} from the four layers, lowest first: built-in defaults, the YAML file
 * named by {@code --config} / {@code SOCKEYE_CONFIG}, environment variables {@code SOCKEYE_*}, and
 * command-line flags. A later layer replaces a key of an earlier one as a whole (lists are not
 * merged). Every problem is collected and thrown together in one {@link ConfigException}.
 */
public final class ConfigLoader {

    /** Environment variables of the launcher script, not configuration keys (not warned about). */
    public static final List<String> LAUNCHER_VARIABLES = List.of("SOCKEYE_JAVA_OPTS", "SOCKEYE_SKIP_BUILD", "SOCKEYE_AOT");

    // An origin is scheme://host[:port] with nothing after it (RFC 6454); custom schemes are for
    // hybrid mobile apps (capacitor://localhost).
    private static final Pattern ORIGIN = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\\s]+");

    private ConfigLoader() {
    }

    /** Flags only, with the process environment: what tests and {@code ServerConfig.defaults()} use. */
    public static ServerConfig load(String[] args) {
        return load(CommandLineOptions.parse(args).values(), Map.of(), w -> { });
    }

    /**
     * @param flags    values from the command line ({@link CommandLineOptions#parse})
     * @param env      the environment ({@code System.getenv()})
     * @param warnings receives notices that do not stop the start (unknown {@code SOCKEYE_*} variables)
     * @throws ConfigException listing every problem, each starting with the key
     */
    public static ServerConfig load(Map<Setting, RawValue> flags, Map<String, String> env, Consumer<String> warnings) {
        Map<Setting, RawValue> fromEnv = fromEnvironment(env, warnings);
        RawValue configFile = Optional.ofNullable(flags.get(Settings.CONFIG)).orElse(fromEnv.get(Settings.CONFIG));
        Map<Setting, RawValue> merged = new LinkedHashMap<>();
        if (configFile != null && !configFile.text().isBlank()) {
            merged.putAll(YamlConfig.read(Path.of(configFile.text().trim())));
        }
        merged.putAll(fromEnv);
        merged.putAll(flags);
        return resolve(merged, warnings);
    }

    static Map<Setting, RawValue> fromEnvironment(Map<String, String> env, Consumer<String> warnings) {
        Map<Setting, RawValue> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("SOCKEYE_") || LAUNCHER_VARIABLES.contains(name)) {
                continue;
            }
            Optional<Setting> setting = Settings.byEnv(name);
            if (setting.isEmpty()) {
                String key = name.substring("SOCKEYE_".length()).toLowerCase(Locale.ROOT);
                warnings.accept("ignoring unknown environment variable " + name + YamlConfig.closestKey(key)
                        .flatMap(Settings::byKey).map(s -> " (did you mean " + s.env() + "?)").orElse(""));
                continue;
            }
            // An empty variable counts as unset (docker-compose and systemd leave empty ones around).
            if (!e.getValue().isBlank()) {
                values.put(setting.get(), new RawValue(setting.get(), e.getValue(), name));
            }
        }
        return values;
    }

    static ServerConfig resolve(Map<Setting, RawValue> merged, Consumer<String> warnings) {
        Values v = new Values(merged);

        String host = v.text(Settings.HOST);
        if (host != null && (host.isBlank() || host.equals("*"))) {
            host = null;
        }
        int port = (int) v.integer(Settings.PORT, 0, 65535);

        Path tlsCert = v.file(Settings.TLS_CERT);
        Path tlsKey = v.file(Settings.TLS_KEY);
        if (tlsCert != null && tlsKey == null) {
            v.problem(Settings.TLS_KEY, "required when tls.cert is set (--tls-key FILE)");
        } else if (tlsKey != null && tlsCert == null) {
            v.problem(Settings.TLS_CERT, "required when tls.key is set (--tls-cert FILE)");
        }

        List<String> origins = v.list(Settings.CORS_ORIGINS);
        for (String origin : origins) {
            if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
                v.problem(Settings.CORS_ORIGINS, "'" + origin + "' is not an origin like https://app.example.com"
                        + " (scheme://host[:port], no path) or *");
            }
        }

        TrustedProxies trustedProxies = trustedProxies(v);
        Boolean proxyProtocol = v.bool(Settings.PROXY_PROTOCOL);
        if (Boolean.TRUE.equals(proxyProtocol) && trustedProxies.isEmpty()) {
            v.problem(Settings.PROXY_PROTOCOL, "needs trusted_proxies (--trusted-proxies): the load balancers that"
                    + " send the header; a header from anyone else closes the connection");
        }
        String transport = v.choice(Settings.TRANSPORT, "auto", "io_uring", "epoll", "nio");
        String parser = v.choice(Settings.PARSER, "json", "msgpack", "auto");
        Boolean deflate = v.bool(Settings.PER_MESSAGE_DEFLATE);
        int deflateThreshold = (int) v.integer(Settings.PER_MESSAGE_DEFLATE_THRESHOLD, 0, Integer.MAX_VALUE);

        String secret = v.text(Settings.JWT_SECRET);
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < JwtSettings.MIN_HMAC_SECRET_BYTES) {
            v.problem(Settings.JWT_SECRET, "must be at least " + JwtSettings.MIN_HMAC_SECRET_BYTES
                    + " bytes (256 bits) for HS256, got " + secret.getBytes(StandardCharsets.UTF_8).length);
        }
        Path publicKey = v.file(Settings.JWT_PUBLIC_KEY_FILE);
        URI jwks = v.url(Settings.JWT_JWKS_URL, "http", "https");
        String issuer = v.text(Settings.JWT_ISSUER);
        String audience = v.text(Settings.JWT_AUDIENCE);
        Duration skew = v.duration(Settings.JWT_CLOCK_SKEW, true);

        Boolean anonymous = v.bool(Settings.ALLOW_ANONYMOUS);
        boolean jwtKeyConfigured = secret != null || publicKey != null || jwks != null;
        boolean anonymousByDefault = anonymous == null && !jwtKeyConfigured;
        boolean allowAnonymous = anonymous != null ? anonymous : anonymousByDefault;

        List<RoomRule> rules = List.of();
        RawValue rulesRaw = merged.get(Settings.ROOMS);
        if (rulesRaw != null) {
            rules = RoomRulesReader.read(rulesRaw, v.problems());
        }

        String apiKey = v.text(Settings.API_KEY);
        String adminPassword = v.text(Settings.ADMIN_PASSWORD);

        URI redis = redisUrl(v);
        URI nats = v.url(Settings.NATS_URL, "nats", "tls");
        if (redis != null && nats != null) {
            // One bus per cluster: a node on both would split the cluster in two halves that never meet.
            v.problem(Settings.NATS_URL, "set only one of redis_url and nats_url (also set: redis_url)");
        }
        Boolean sticky = v.bool(Settings.STICKY_COOKIE);
        Boolean adminUi = v.bool(Settings.ADMIN_UI);
        if (adminUi != null && adminUi && adminPassword == null) {
            v.problem(Settings.ADMIN_UI, "needs admin_password (--admin-password)");
        }
        Boolean adminUiReadonly = v.bool(Settings.ADMIN_UI_READONLY);
        String adminUiMode = v.choice(Settings.ADMIN_UI_MODE, "production", "development");

        LimitsSettings limits = limits(v);
        ConnectionSettings connections = connections(v, limits);

        Duration pingInterval = v.duration(Settings.PING_INTERVAL, false);
        Duration pingTimeout = v.duration(Settings.PING_TIMEOUT, false);
        long maxHttpBufferSize = v.integer(Settings.MAX_HTTP_BUFFER_SIZE, 1, Integer.MAX_VALUE);
        Duration binaryPacketTimeout = v.text(Settings.BINARY_PACKET_TIMEOUT) == null ? null
                : v.duration(Settings.BINARY_PACKET_TIMEOUT, false);
        Long maxPendingAttachmentBytes = v.text(Settings.MAX_PENDING_ATTACHMENT_BYTES) == null ? null
                : v.integer(Settings.MAX_PENDING_ATTACHMENT_BYTES, 1, Long.MAX_VALUE);
        // At least the write high-water mark (64 KiB), past which a connection counts as slow already.
        long maxBufferedBytes = v.integer(Settings.MAX_BUFFERED_BYTES, 65_536, Long.MAX_VALUE);
        Duration drain = v.duration(Settings.DRAIN_WINDOW, true);
        RecoverySettings recovery = recovery(v);
        Boolean warmupEnabled = v.bool(Settings.WARMUP_ENABLED);
        Duration warmupTimeout = v.duration(Settings.WARMUP_TIMEOUT, false);
        Integer metricsPort = v.text(Settings.METRICS_PORT) == null ? null
                : (int) v.integer(Settings.METRICS_PORT, 0, 65535);
        String metricsHost = v.text(Settings.METRICS_HOST);
        if (metricsHost != null && (metricsHost.isBlank() || metricsHost.equals("*"))) {
            metricsHost = null;
        } else if (metricsHost == null) {
            metricsHost = host; // the operators' port stays on the address the server was told to use
        }
        if (metricsPort != null && metricsPort != 0 && metricsPort == port
                && Objects.equals(metricsHost, host)) {
            v.problem(Settings.METRICS_PORT, "must differ from port (" + port + ")");
        }
        String logLevel = v.choice(Settings.LOG_LEVEL, "trace", "debug", "info", "warn", "error");
        String logFormat = v.choice(Settings.LOG_FORMAT, "text", "json");
        GatewaySettings gateway = GatewayConfigReader.read(v);

        List<Setting> keySources = new ArrayList<>();
        if (secret != null) {
            keySources.add(Settings.JWT_SECRET);
        }
        if (publicKey != null) {
            keySources.add(Settings.JWT_PUBLIC_KEY_FILE);
        }
        if (jwks != null) {
            keySources.add(Settings.JWT_JWKS_URL);
        }
        if (keySources.size() > 1) {
            v.problem(keySources.get(1), "set only one of jwt.secret, jwt.public_key_file and jwt.jwks_url (also set: "
                    + keySources.get(0).key() + ")");
        }
        JwtSettings jwt = JwtSettings.none();
        if (v.problems().isEmpty() && (jwtKeyConfigured || issuer != null || audience != null)) {
            try {
                jwt = new JwtSettings(secret, publicKey, jwks, issuer, audience, skew);
            } catch (IllegalArgumentException e) {
                v.problems().add("jwt: " + e.getMessage());
            }
        }
        if ((issuer != null || audience != null) && !jwtKeyConfigured) {
            v.problem(issuer != null ? Settings.JWT_ISSUER : Settings.JWT_AUDIENCE,
                    "needs a key to check tokens with: set jwt.secret, jwt.public_key_file or jwt.jwks_url");
        }

        if (!v.problems().isEmpty()) {
            throw new ConfigException(new ArrayList<>(v.problems()));
        }
        if (trustedProxies.trustsEveryone()) {
            warnings.accept(Settings.TRUSTED_PROXIES.key() + " (" + trustedProxies + ") covers every address: any client"
                    + " can name its own address in X-Forwarded-For and escape the per-address limits");
        }
        if (secret != null) {
            hmacLengthWarning(secret.getBytes(StandardCharsets.UTF_8).length).ifPresent(warnings);
        }
        if (limits.maxPayloadBytes() > maxHttpBufferSize) {
            warnings.accept("limits.max_payload_bytes (" + limits.maxPayloadBytes() + ") is above"
                    + " engine.max_http_buffer_size (" + maxHttpBufferSize + "): larger messages close the"
                    + " connection before they can be answered too_large");
        }
        Parser packetFormat = parser == null ? Parser.JSON : Parser.valueOf(parser.toUpperCase(Locale.ROOT));
        return new ServerConfig(host, port, tlsCert, tlsKey, origins, trustedProxies, Boolean.TRUE.equals(proxyProtocol),
                packetFormat, allowAnonymous, anonymousByDefault, jwt,
                rules, apiKey, adminPassword, redis, nats, sticky != null && sticky, adminUi != null && adminUi,
                adminUiReadonly != null && adminUiReadonly, "development".equals(adminUiMode), limits, connections,
                pingInterval, pingTimeout, maxHttpBufferSize, binaryPacketTimeout, maxPendingAttachmentBytes,
                maxBufferedBytes, drain, metricsPort, metricsHost, logLevel, logFormat, gateway, recovery,
                transport == null ? Transport.AUTO : Transport.of(transport),
                new WarmupSettings(!Boolean.FALSE.equals(warmupEnabled), warmupTimeout.isZero() ? WarmupSettings.DEFAULT_TIMEOUT : warmupTimeout),
                Boolean.TRUE.equals(deflate) ? PerMessageDeflate.enabled(deflateThreshold) : PerMessageDeflate.DISABLED,
                Boolean.TRUE.equals(v.bool(Settings.HTTP2)));
    }

    private static RecoverySettings recovery(Values v) {
        Duration window = v.duration(Settings.RECOVERY_WINDOW, true);
        long size = v.integer(Settings.HISTORY_SIZE, 1, RecoverySettings.MAX_HISTORY_SIZE);
        Duration ttl = v.duration(Settings.HISTORY_TTL, false);
        if (!window.isZero() && ttl.compareTo(window) < 0) {
            v.problem(Settings.HISTORY_TTL, "must be at least recovery.window (" + window.toSeconds() + "s), or"
                    + " a client coming back late in the window finds its messages gone");
        }
        return new RecoverySettings(window, (int) size, ttl);
    }

    /**
     * A secret shorter than 64 bytes leaves HS512 (and below 48 bytes HS384) out: say so at start, since
     * tokens signed with them are refused as {@code algorithm not allowed}.
     */
    static Optional<String> hmacLengthWarning(int secretBytes) {
        List<String> accepted = JwtSettings.hmacAlgorithms(secretBytes);
        List<String> refused = new ArrayList<>();
        JwtSettings.hmacMinimumBytes().forEach((alg, min) -> {
            if (!accepted.contains(alg)) {
                refused.add(alg + " needs " + min);
            }
        });
        if (accepted.isEmpty() || refused.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Settings.JWT_SECRET.key() + ": " + secretBytes + " bytes accept " + String.join(" and ", accepted)
                + " only (RFC 7518 §3.2: " + String.join(", ", refused) + " bytes); tokens signed with a longer hash"
                + " are refused as 'algorithm not allowed'");
    }

    /** {@code trusted_proxies}: CIDR blocks or single addresses, IPv4 or IPv6. */
    private static TrustedProxies trustedProxies(Values v) {
        try {
            return TrustedProxies.of(v.list(Settings.TRUSTED_PROXIES));
        } catch (IllegalArgumentException e) {
            v.problem(Settings.TRUSTED_PROXIES, e.getMessage());
            return TrustedProxies.none();
        }
    }

    /** {@code redis_url}: one Redis, a Sentinel-managed master or a Redis Cluster, checked by {@link RedisUrl}. */
    private static URI redisUrl(Values v) {
        String text = v.text(Settings.REDIS_URL);
        if (text == null) {
            return null;
        }
        try {
            return RedisUrl.parse(text).uri();
        } catch (IllegalArgumentException e) {
            v.problem(Settings.REDIS_URL, e.getMessage());
            return null;
        }
    }

    /**
     * The connection deadlines (0: none) and caps; the per-IP TCP cap follows the Socket.IO one unless set.
     * Values out of range are on record as problems; they are clamped here only to build something.
     */
    private static ConnectionSettings connections(Values v, LimitsSettings limits) {
        int perIp = v.text(Settings.MAX_TCP_CONNECTIONS_PER_IP) == null
                ? (int) Math.min(Integer.MAX_VALUE,
                        (long) ConnectionSettings.TCP_CONNECTIONS_PER_SOCKET_IO_CONNECTION * limits.maxConnectionsPerIp()
                                + ConnectionSettings.TCP_CONNECTIONS_PER_IP_SLACK)
                : (int) Math.max(0, v.integer(Settings.MAX_TCP_CONNECTIONS_PER_IP, 0, Integer.MAX_VALUE));
        Long max = v.text(Settings.MAX_TCP_CONNECTIONS) == null ? null
                : Math.max(0, v.integer(Settings.MAX_TCP_CONNECTIONS, 0, Integer.MAX_VALUE));
        return new ConnectionSettings(v.duration(Settings.IDLE_TIMEOUT, true), v.duration(Settings.REQUEST_HEAD_TIMEOUT, true),
                v.duration(Settings.REQUEST_BODY_TIMEOUT, true), v.duration(Settings.CLOSE_TIMEOUT, true), perIp, max);
    }

    private static LimitsSettings limits(Values v) {
        int max = Integer.MAX_VALUE;
        try {
            return LimitsSettings.builder()
                    .eventsPerSecond(v.positiveNumber(Settings.EVENTS_PER_SECOND))
                    .eventBurst((int) v.integer(Settings.EVENT_BURST, 1, max))
                    .abuseDisconnectAfter((int) v.integer(Settings.ABUSE_DISCONNECT_AFTER, 1, max))
                    .maxPayloadBytes((int) v.integer(Settings.MAX_PAYLOAD_BYTES, 1, max))
                    .maxRoomsPerConnection((int) v.integer(Settings.MAX_ROOMS_PER_CONNECTION, 1, max))
                    .maxConnectionsPerIp((int) v.integer(Settings.MAX_CONNECTIONS_PER_IP, 1, max))
                    .maxConnectionsPerUser((int) v.integer(Settings.MAX_CONNECTIONS_PER_USER, 1, max))
                    .handshakesPerSecond(v.positiveNumber(Settings.HANDSHAKES_PER_SECOND))
                    .handshakesPerSecondPerIp(v.positiveNumber(Settings.HANDSHAKES_PER_SECOND_PER_IP))
                    .apiMaxBodyBytes((int) v.integer(Settings.API_MAX_BODY_BYTES, 1, max))
                    .build();
        } catch (IllegalArgumentException e) {
            v.problems().add("limits: " + e.getMessage());
            return LimitsSettings.defaults();
        }
    }
}
