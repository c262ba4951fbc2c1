package io.sockeye.server.config;

import io.sockeye.netty.PerMessageDeflate;
import io.sockeye.server.config.Setting.Kind;
import io.sockeye.server.limits.LimitsSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every configuration key of the standalone server, in the order {@code --help} and
 * {@code docs/configuration.md} list them. This table is the one place a key is defined: the YAML
 * reader, the environment, the flags and the help text are all derived from it.
 */
public final class Settings {

    private static final LimitsSettings LIMITS = LimitsSettings.defaults();

    public static final Setting CONFIG = new Setting("config", "--config", "FILE", Kind.FILE, null, null,
            "YAML configuration file (flag or environment only).");

    // ---- network -------------------------------------------------------------------------------
    public static final Setting HOST = new Setting("host", "--host", "HOST", Kind.TEXT, null, "all interfaces",
            "Address to listen on, e.g. 127.0.0.1.");
    public static final Setting PORT = new Setting("port", "--port", "PORT", Kind.INT, "3000", null,
            "Port for HTTP, WebSocket and the API (0 picks a free port, printed at start).");
    public static final Setting TLS_CERT = new Setting("tls.cert", "--tls-cert", "PEM", Kind.FILE, null, null,
            "Certificate chain (PEM): serve https/wss on the same port. Needs --tls-key.");
    public static final Setting TLS_KEY = new Setting("tls.key", "--tls-key", "PEM", Kind.FILE, null, null,
            "Private key (PEM, PKCS#8 or PKCS#1, unencrypted) of --tls-cert.");
    public static final Setting CORS_ORIGINS = new Setting("cors_origins", "--cors-origins", "ORIGIN",
            Kind.LIST, null, "same origin only",
            "Browser origins allowed to connect, e.g. https://app.example.com; '*' allows any.");
    public static final Setting TRUSTED_PROXIES = new Setting("trusted_proxies", "--trusted-proxies", "CIDR",
            Kind.LIST, null, "none", "Load balancers / reverse proxies (CIDR blocks or addresses, e.g. 10.0.0.0/8,::1)"
            + " whose X-Forwarded-For, Forwarded or X-Real-IP name the client; anyone else's are ignored.");
    public static final Setting PROXY_PROTOCOL = new Setting("proxy_protocol", "--proxy-protocol", "BOOL", Kind.BOOL,
            "false", null, "Trusted proxies begin each connection with a PROXY protocol v1/v2 header (HAProxy"
            + " send-proxy-v2, cloud load balancers): it names the client. Needs trusted_proxies.");
    public static final Setting TRANSPORT = new Setting("transport", "--transport", "TRANSPORT", Kind.CHOICE, "auto", null,
            "Network I/O of the event loops: auto (epoll on Linux, else nio), io_uring, epoll or nio. One that does"
            + " not load here falls back (io_uring, then epoll, then nio) with a warning in the log.");
    public static final Setting PARSER = new Setting("parser", "--parser", "PARSER", Kind.CHOICE, "json", null,
            "Socket.IO packet format: json (socket.io's default), msgpack (socket.io-msgpack-parser 3.x),"
            + " or auto (either, recognised per connection from its first packet).");
    public static final Setting PER_MESSAGE_DEFLATE = new Setting("per_message_deflate.enabled", "--per-message-deflate",
            "BOOL", Kind.BOOL, "false", null, "Negotiate WebSocket compression (permessage-deflate, RFC 7692) with"
            + " clients that offer it; a broadcast is compressed once for all of them.");
    public static final Setting PER_MESSAGE_DEFLATE_THRESHOLD = new Setting("per_message_deflate.threshold",
            "--per-message-deflate-threshold", "BYTES", Kind.INT, String.valueOf(PerMessageDeflate.DEFAULT_THRESHOLD),
            null, "Messages from this size up are sent compressed; smaller ones as they are.");

    // ---- authentication and authorization ------------------------------------------------------
    public static final Setting ALLOW_ANONYMOUS = new Setting("allow_anonymous", "--allow-anonymous", "BOOL",
            Kind.BOOL, null, "auto (true when no JWT key is set)",
            "Any connection may subscribe, publish and see presence in any room (demos).");
    public static final Setting JWT_SECRET = new Setting("jwt.secret", "--jwt-secret", "SECRET", Kind.SECRET,
            null, null, "HS256/384/512 shared secret, at least 32 bytes.");
    public static final Setting JWT_PUBLIC_KEY_FILE = new Setting("jwt.public_key_file", "--jwt-public-key-file",
            "PEM", Kind.FILE, null, null, "Public key (PEM) for RS/ES/PS/EdDSA tokens.");
    public static final Setting JWT_JWKS_URL = new Setting("jwt.jwks_url", "--jwks-url", "URL", Kind.URL,
            null, null, "JWKS endpoint (http or https) with the token signing keys.");
    public static final Setting JWT_ISSUER = new Setting("jwt.issuer", "--jwt-issuer", "ISS", Kind.TEXT,
            null, "not checked", "Required 'iss' claim.");
    public static final Setting JWT_AUDIENCE = new Setting("jwt.audience", "--jwt-audience", "AUD", Kind.TEXT,
            null, "not checked", "Required 'aud' claim.");
    public static final Setting JWT_CLOCK_SKEW = new Setting("jwt.clock_skew", "--jwt-clock-skew", "DURATION",
            Kind.DURATION, "30s", null, "Tolerance for 'exp' and 'nbf'.");
    public static final Setting ROOMS = new Setting("rooms", "--rooms", "RULES", Kind.RULES, null, "no rules",
            "Room rules as a YAML/JSON list of {pattern, subscribe, publish, presence, presence_enabled}.");
    public static final Setting API_KEY = new Setting("api_key", "--api-key", "KEY", Kind.SECRET, null,
            "none (HTTP API answers 401)", "Bearer key for the HTTP API (/api/*).");
    public static final Setting ADMIN_PASSWORD = new Setting("admin_password", "--admin-password", "PASSWORD",
            Kind.SECRET, null, null, "Password of the admin dashboard at /admin/ and of the Admin UI (plain or bcrypt hash).");

    // ---- clustering ----------------------------------------------------------------------------
    public static final Setting REDIS_URL = new Setting("redis_url", "--redis-url", "URL", Kind.URL, null,
            "none (single node)", "Redis for clustering: redis://, rediss://, redis-sentinel://h1:p1,h2:p2?sentinelMasterId=NAME"
            + " or redis-cluster://h1:p1,h2:p2; add ?mode=sharded for Redis 7 sharded pub/sub (use it on a Redis Cluster),"
            + " ?adapter=streams for the Redis Streams adapter (@socket.io/redis-streams-adapter 0.3)."
            + " Unreachable at start: exit 2.");
    public static final Setting NATS_URL = new Setting("nats_url", "--nats-url", "URL", Kind.URL, null,
            "none (single node)", "NATS for clustering (nats:// or tls://), instead of Redis. Unreachable at start: exit 2.");
    public static final Setting ADMIN_UI = new Setting("admin_ui", "--admin-ui", "BOOL", Kind.BOOL,
            "false", null, "Serve the official Socket.IO Admin UI's namespace /admin (user 'admin', password"
            + " admin_password; for the hosted UI add https://admin.socket.io to cors_origins).");
    public static final Setting ADMIN_UI_READONLY = new Setting("admin_ui_readonly", "--admin-ui-readonly", "BOOL",
            Kind.BOOL, "false", null, "The Admin UI may look but not act: its emit, join, leave and disconnect"
            + " commands are neither offered nor obeyed.");
    public static final Setting ADMIN_UI_MODE = new Setting("admin_ui_mode", "--admin-ui-mode", "MODE", Kind.CHOICE,
            "production", null, "production, or development: the Admin UI also sees every socket, room change"
            + " and event with its arguments (costly; payloads reach the UI).");
    public static final Setting HTTP2 = new Setting("http2", "--http2", "BOOL", Kind.BOOL, "false", null,
            "Also speak HTTP/2: h2 by ALPN with TLS, h2c (prior knowledge) without; WebSocket stays on HTTP/1.1.");
    public static final Setting STICKY_COOKIE = new Setting("sticky_cookie", "--sticky-cookie", "BOOL", Kind.BOOL,
            "false", null, "Set the 'io' cookie (session id) on handshakes, for cookie-based load balancer stickiness.");

    // ---- gateway: proxies to HTTP backends and forwarding into brokers (docs/proxy.md) ------------
    /** The proxy kinds, in the order their keys are listed; each has {@code proxy.<kind>.*} keys. */
    public static final List<String> PROXY_KINDS = List.of("connect", "refresh", "subscribe", "publish", "rpc");
    /** The kinds whose calls concern a room, and so have a {@code rooms} scope. */
    public static final List<String> ROOM_SCOPED_PROXY_KINDS = List.of("connect", "subscribe", "publish");
    public static final Setting PROXY_CONNECT_MODE = new Setting("proxy.connect.mode", "--proxy-connect-mode", "MODE",
            Kind.CHOICE, "jwt_first", null, "jwt_first: a connection with a token is checked as a JWT, one without"
            + " by the connect proxy; proxy_only: the connect proxy decides every connection (it gets the token in auth).");
    public static final Setting PROXY_RETRIES = new Setting("proxy.retries", "--proxy-retries", "N", Kind.INT, "2",
            null, "Retries of idempotent proxy calls (connect, refresh, subscribe) after a refused connection or a 502/503/504, within the timeout.");
    public static final Setting PROXY_MAX_ANSWER_BYTES = new Setting("proxy.max_answer_bytes", "--proxy-max-answer-bytes",
            "BYTES", Kind.INT, "1048576", null, "Largest proxy answer body; a longer one is answered unavailable.");
    public static final Setting PROXY_MAX_CONNECTIONS = new Setting("proxy.max_connections", "--proxy-max-connections",
            "N", Kind.INT, "1024", null, "Kept-alive connections to each proxy backend (scheme, host, port) per event loop;"
            + " a call finding all busy waits for one, within its timeout.");
    public static final Setting PROXY_IDLE_TIMEOUT = new Setting("proxy.idle_timeout", "--proxy-idle-timeout",
            "DURATION", Kind.DURATION, "4s", null, "A kept-alive connection to a proxy backend unused this long is"
            + " closed; keep it below the backend's own keep-alive timeout (Node's is 5s).");
    private static final List<Setting> PROXY_KEYS = proxyKeys();

    public static final Setting FORWARD_TIMEOUT = new Setting("forward.timeout", "--forward-timeout", "DURATION",
            Kind.DURATION, "5s", null, "How long a forwarded client event may wait for the broker's acknowledgement.");
    public static final Setting FORWARD_KAFKA_BROKERS = new Setting("forward.kafka.brokers", "--forward-kafka-brokers",
            "HOST:PORT", Kind.LIST, null, "none (no Kafka)", "Kafka bootstrap servers for forwarding client events.");
    public static final Setting FORWARD_KAFKA_TOPICS = new Setting("forward.kafka.topics", "--forward-kafka-topics",
            "PATTERN=TOPIC", Kind.LIST, null, "none", "Client publishes to rooms matching PATTERN go to TOPIC (key: the room).");
    public static final Setting FORWARD_KAFKA_RPC_TOPIC = new Setting("forward.kafka.rpc_topic", "--forward-kafka-rpc-topic",
            "TOPIC", Kind.TEXT, null, "none", "Client rpc calls go to this topic (key: the method).");
    public static final Setting FORWARD_NATS_URL = new Setting("forward.nats.url", "--forward-nats-url", "URL", Kind.URL,
            null, "none (no NATS)", "NATS with JetStream (nats:// or tls://) for forwarding client events.");
    public static final Setting FORWARD_NATS_ROOMS = new Setting("forward.nats.rooms", "--forward-nats-rooms", "PATTERN",
            Kind.LIST, null, "none", "Client publishes to rooms matching these patterns go to subject <subject_prefix>.<room>.");
    public static final Setting FORWARD_NATS_SUBJECT_PREFIX = new Setting("forward.nats.subject_prefix",
            "--forward-nats-subject-prefix", "SUBJECT", Kind.TEXT, "sockeye.rooms", null, "First tokens of the forwarded publishes' subjects.");
    public static final Setting FORWARD_NATS_RPC_SUBJECT = new Setting("forward.nats.rpc_subject", "--forward-nats-rpc-subject",
            "SUBJECT", Kind.TEXT, null, "none", "Client rpc calls go to this subject.");
    public static final Setting FORWARD_NATS_STREAM = new Setting("forward.nats.stream", "--forward-nats-stream", "NAME",
            Kind.TEXT, "SOCKEYE_EVENTS", null, "JetStream stream holding the forwarded subjects (created when missing).");
    public static final Setting FORWARD_REDIS_URL = new Setting("forward.redis.url", "--forward-redis-url", "URL", Kind.URL,
            null, "none (no Redis)", "Redis (redis:// or rediss://) whose streams receive forwarded client events.");
    public static final Setting FORWARD_REDIS_STREAMS = new Setting("forward.redis.streams", "--forward-redis-streams",
            "PATTERN=STREAM", Kind.LIST, null, "none", "Client publishes to rooms matching PATTERN are XADDed to STREAM.");
    public static final Setting FORWARD_REDIS_RPC_STREAM = new Setting("forward.redis.rpc_stream", "--forward-redis-rpc-stream",
            "STREAM", Kind.TEXT, null, "none", "Client rpc calls are XADDed to this stream.");
    public static final Setting FORWARD_REDIS_MAX_LEN = new Setting("forward.redis.max_len", "--forward-redis-max-len", "N",
            Kind.INT, "0", null, "Trim each stream to about N entries on XADD (0: never trim).");

    // ---- limits --------------------------------------------------------------------------------
    public static final Setting EVENTS_PER_SECOND = rate("events_per_second", LIMITS.eventsPerSecond(), "Requests per second per connection (token bucket rate).");
    public static final Setting EVENT_BURST = limit("event_burst",
            String.valueOf(LIMITS.eventBurst()), "Token bucket size: requests allowed at once.");
    public static final Setting ABUSE_DISCONNECT_AFTER = limit("abuse_disconnect_after",
            String.valueOf(LIMITS.abuseDisconnectAfter()), "Rate-limited requests in a row before disconnecting.");
    public static final Setting MAX_PAYLOAD_BYTES = limit("max_payload_bytes",
            String.valueOf(LIMITS.maxPayloadBytes()), "Largest publish payload (answered too_large).");
    public static final Setting MAX_ROOMS_PER_CONNECTION = limit("max_rooms_per_connection",
            String.valueOf(LIMITS.maxRoomsPerConnection()), "Rooms one connection may be subscribed to.");
    public static final Setting MAX_CONNECTIONS_PER_IP = limit("max_connections_per_ip",
            String.valueOf(LIMITS.maxConnectionsPerIp()), "Open connections from one IP address.");
    public static final Setting MAX_CONNECTIONS_PER_USER = limit("max_connections_per_user",
            String.valueOf(LIMITS.maxConnectionsPerUser()), "Open connections of one user (token 'sub').");
    public static final Setting HANDSHAKES_PER_SECOND = rate("handshakes_per_second", LIMITS.handshakesPerSecond(), "New handshakes per second, whole server (503 past it).");
    public static final Setting HANDSHAKES_PER_SECOND_PER_IP = rate("handshakes_per_second_per_ip",
            LIMITS.handshakesPerSecondPerIp(), "New handshakes per second from one IP (503 past it).");
    public static final Setting API_MAX_BODY_BYTES = limit("api_max_body_bytes",
            String.valueOf(LIMITS.apiMaxBodyBytes()), "Largest HTTP API request body (413 past it).");

    // ---- connections ---------------------------------------------------------------------------
    public static final Setting IDLE_TIMEOUT = new Setting("connections.idle_timeout", "--idle-timeout", "DURATION",
            Kind.DURATION, "30s", null, "Close a connection with no request in progress (new, or between keep-alive"
            + " requests) after this long.");
    public static final Setting REQUEST_HEAD_TIMEOUT = new Setting("connections.request_head_timeout",
            "--request-head-timeout", "DURATION", Kind.DURATION, "10s", null,
            "A request's headers must be in this long after its first byte (408 then).");
    public static final Setting REQUEST_BODY_TIMEOUT = new Setting("connections.request_body_timeout",
            "--request-body-timeout", "DURATION", Kind.DURATION, "30s", null,
            "A request's body must be in this long after its headers (408 then).");
    public static final Setting CLOSE_TIMEOUT = new Setting("connections.close_timeout", "--close-timeout", "DURATION",
            Kind.DURATION, "5s", null, "A WebSocket close the client does not take within this is cut off (TCP reset).");
    public static final Setting MAX_TCP_CONNECTIONS_PER_IP = new Setting("connections.max_per_ip",
            "--max-tcp-connections-per-ip", "N", Kind.INT, null, "3 × limits.max_connections_per_ip + 16",
            "TCP connections one IP address may hold, counted at accept (0: no cap).");
    public static final Setting MAX_TCP_CONNECTIONS = new Setting("connections.max", "--max-tcp-connections", "N",
            Kind.INT, null, "open-file limit − 528", "TCP connections open at once; past it only health checks,"
            + " from a reserve of 16 (0: no cap).");

    // ---- Engine.IO ------------------------------------------------------------------------------
    public static final Setting PING_INTERVAL = new Setting("engine.ping_interval", "--ping-interval", "DURATION",
            Kind.DURATION, "25s", null, "How often the server pings each connection.");
    public static final Setting PING_TIMEOUT = new Setting("engine.ping_timeout", "--ping-timeout", "DURATION",
            Kind.DURATION, "20s", null, "How long a pong may take before the connection is closed.");
    public static final Setting MAX_HTTP_BUFFER_SIZE = new Setting("engine.max_http_buffer_size",
            "--max-http-buffer-size", "BYTES", Kind.INT, "1000000", null,
            "Largest Engine.IO message or polling body; larger ones close the connection.");
    public static final Setting BINARY_PACKET_TIMEOUT = new Setting("engine.binary_packet_timeout",
            "--binary-packet-timeout", "DURATION", Kind.DURATION, null, "ping_interval + ping_timeout, at least 30s",
            "How long a binary message may wait for its attachments before the connection is closed.");
    public static final Setting MAX_PENDING_ATTACHMENT_BYTES = new Setting("engine.max_pending_attachment_bytes",
            "--max-pending-attachment-bytes", "BYTES", Kind.INT, null, "a quarter of the maximum heap",
            "Bytes the node holds for binary messages still awaiting attachments; the connection that would pass it is closed.");
    public static final Setting MAX_BUFFERED_BYTES = new Setting("engine.max_buffered_bytes", "--max-buffered-bytes",
            "BYTES", Kind.INT, "8388608", null, "Unsent bytes a connection may have queued; past it the client is"
            + " a slow consumer, cut off and its buffers released.");

    // ---- recovery and history --------------------------------------------------------------------
    public static final Setting RECOVERY_WINDOW = new Setting("recovery.window", "--recovery-window", "DURATION",
            Kind.DURATION, "2m", null, "How long a dropped client gets its socket, rooms and missed messages back"
            + " (connection state recovery); 0 turns recovery and room history off.");
    public static final Setting HISTORY_SIZE = new Setting("history.size", "--history-size", "N", Kind.INT,
            String.valueOf(RecoverySettings.DEFAULT_HISTORY_SIZE), null, "Messages kept per room for replay.");
    public static final Setting HISTORY_TTL = new Setting("history.ttl", "--history-ttl", "DURATION", Kind.DURATION,
            "5m", null, "How long a message is kept for replay; at least recovery.window.");

    // ---- operations ----------------------------------------------------------------------------
    public static final Setting DRAIN_WINDOW = new Setting("shutdown.drain_window", "--drain-window", "DURATION",
            Kind.DURATION, "10s", null,
            "On SIGTERM, disconnect clients spread over this window so they do not all reconnect at once.");
    public static final Setting WARMUP_ENABLED = new Setting("warmup.enabled", "--warmup", "BOOL", Kind.BOOL, "true",
            null, "At start, before /readyz turns ready, run handshakes, connects and broadcasts over loopback"
            + " connections to the server itself, so the first real clients meet compiled code.");
    public static final Setting WARMUP_TIMEOUT = new Setting("warmup.timeout", "--warmup-timeout", "DURATION",
            Kind.DURATION, "10s", null, "Longest the warm-up may take; then the node turns ready anyway.");
    public static final Setting METRICS_PORT = new Setting("metrics.port", "--metrics-port", "PORT", Kind.INT, null,
            "none (/metrics on the main port, behind api_key)", "Second port for operators: /metrics without the"
            + " API key, /healthz, /readyz (0 picks a free port, printed at start).");
    public static final Setting METRICS_HOST = new Setting("metrics.host", "--metrics-host", "HOST", Kind.TEXT, null,
            "the main host", "Address of the metrics port, e.g. 10.0.0.5 for a monitoring network.");
    public static final Setting LOG_LEVEL = new Setting("log.level", "--log-level", "LEVEL", Kind.CHOICE, "info",
            null, "trace, debug, info, warn or error.");
    public static final Setting LOG_FORMAT = new Setting("log.format", "--log-format", "FORMAT", Kind.CHOICE, "text",
            null, "text (human) or json (one JSON object per line).");

    /** Every key, in documentation order. */
    public static final List<Setting> ALL = concat(List.of(
            CONFIG, HOST, PORT, TLS_CERT, TLS_KEY, HTTP2, CORS_ORIGINS, TRUSTED_PROXIES, PROXY_PROTOCOL, TRANSPORT, PARSER,
            PER_MESSAGE_DEFLATE, PER_MESSAGE_DEFLATE_THRESHOLD,
            ALLOW_ANONYMOUS, JWT_SECRET, JWT_PUBLIC_KEY_FILE, JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, JWT_CLOCK_SKEW,
            ROOMS, API_KEY, ADMIN_PASSWORD, ADMIN_UI, ADMIN_UI_READONLY, ADMIN_UI_MODE, REDIS_URL, NATS_URL, STICKY_COOKIE),
            PROXY_KEYS, List.of(PROXY_CONNECT_MODE, PROXY_RETRIES, PROXY_MAX_ANSWER_BYTES, PROXY_MAX_CONNECTIONS,
            PROXY_IDLE_TIMEOUT,
            FORWARD_TIMEOUT, FORWARD_KAFKA_BROKERS, FORWARD_KAFKA_TOPICS, FORWARD_KAFKA_RPC_TOPIC,
            FORWARD_NATS_URL, FORWARD_NATS_ROOMS, FORWARD_NATS_SUBJECT_PREFIX, FORWARD_NATS_RPC_SUBJECT, FORWARD_NATS_STREAM,
            FORWARD_REDIS_URL, FORWARD_REDIS_STREAMS, FORWARD_REDIS_RPC_STREAM, FORWARD_REDIS_MAX_LEN,
            EVENTS_PER_SECOND, EVENT_BURST, ABUSE_DISCONNECT_AFTER, MAX_PAYLOAD_BYTES, MAX_ROOMS_PER_CONNECTION,
            MAX_CONNECTIONS_PER_IP, MAX_CONNECTIONS_PER_USER, HANDSHAKES_PER_SECOND, HANDSHAKES_PER_SECOND_PER_IP,
            API_MAX_BODY_BYTES, IDLE_TIMEOUT, REQUEST_HEAD_TIMEOUT, REQUEST_BODY_TIMEOUT, CLOSE_TIMEOUT,
            MAX_TCP_CONNECTIONS_PER_IP, MAX_TCP_CONNECTIONS, PING_INTERVAL, PING_TIMEOUT, MAX_HTTP_BUFFER_SIZE,
            BINARY_PACKET_TIMEOUT, MAX_PENDING_ATTACHMENT_BYTES, MAX_BUFFERED_BYTES, RECOVERY_WINDOW, HISTORY_SIZE,
            HISTORY_TTL, DRAIN_WINDOW, WARMUP_ENABLED, WARMUP_TIMEOUT, METRICS_PORT, METRICS_HOST,
            LOG_LEVEL, LOG_FORMAT));

    private static final Map<String, Setting> BY_KEY = new LinkedHashMap<>();
    private static final Map<String, Setting> BY_ENV = new LinkedHashMap<>();

    static {
        for (Setting s : ALL) {
            BY_KEY.put(s.key(), s);
            BY_ENV.put(s.env(), s);
        }
    }

    private Settings() {
    }

    /**
     * {@code proxy.<kind>.url|timeout|headers|cookies|rooms|max_concurrency} for every kind ({@code rooms}
     * only where a call concerns a room), in documentation order.
     */
    private static List<Setting> proxyKeys() {
        List<Setting> keys = new ArrayList<>();
        for (String kind : PROXY_KINDS) {
            String key = "proxy." + kind + ".";
            String flag = "--proxy-" + kind + "-";
            keys.add(new Setting(key + "url", flag + "url", "URL", Kind.URL, null, "none (off)",
                    "Backend URL (http or https) of the " + kind + " proxy: each call is a POST with a JSON body."));
            keys.add(new Setting(key + "timeout", flag + "timeout", "DURATION", Kind.DURATION, "5s", null,
                    "How long the " + kind + " proxy may take to answer; then the client gets unavailable."));
            keys.add(new Setting(key + "headers", flag + "headers", "NAME", Kind.LIST, null, "none",
                    "Headers of the client's handshake passed on to the " + kind + " proxy (allow-list)."));
            keys.add(new Setting(key + "cookies", flag + "cookies", "NAME", Kind.LIST, null, "none",
                    "Cookies of the client's handshake passed on to the " + kind + " proxy (allow-list)."));
            if (ROOM_SCOPED_PROXY_KINDS.contains(kind)) {
                keys.add(new Setting(key + "rooms", flag + "rooms", "PATTERN", Kind.LIST, "*", null,
                        kind.equals("connect") ? "Room patterns the connect proxy may grant; grants outside them are ignored."
                                : "Rooms whose " + kind + " requests go to the proxy."));
            }
            keys.add(new Setting(key + "max_concurrency", flag + "max-concurrency", "N", Kind.INT, "1000", null,
                    "Calls of the " + kind + " proxy in flight at once on this node; past it: unavailable."));
        }
        return List.copyOf(keys);
    }

    /** A proxy key, e.g. {@code proxy("rpc", "url")}. */
    public static Setting proxy(String kind, String leaf) {
        return byKey("proxy." + kind + "." + leaf).orElseThrow(() -> new IllegalArgumentException("no key proxy." + kind + "." + leaf));
    }

    @SafeVarargs
    private static List<Setting> concat(List<Setting>... parts) {
        List<Setting> all = new ArrayList<>();
        for (List<Setting> part : parts) {
            all.addAll(part);
        }
        return List.copyOf(all);
    }

    private static Setting limit(String name, String defaultValue, String description) {
        return new Setting("limits." + name, "--" + name.replace('_', '-'), "N", Kind.INT, defaultValue, null,
                description);
    }

    /** A rate limit: a positive number, fractions allowed (0.5 = one every two seconds). */
    private static Setting rate(String name, double defaultValue, String description) {
        String text = defaultValue == Math.rint(defaultValue) ? String.valueOf((long) defaultValue) : String.valueOf(defaultValue);
        return new Setting("limits." + name, "--" + name.replace('_', '-'), "RATE", Kind.NUMBER, text, null,
                description);
    }

    public static Optional<Setting> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    public static Optional<Setting> byEnv(String name) {
        return Optional.ofNullable(BY_ENV.get(name));
    }

    /** The YAML groups ({@code jwt}, {@code tls}, {@code limits}, {@code proxy}, {@code proxy.connect}...). */
    public static List<String> groups() {
        List<String> groups = new ArrayList<>();
        for (Setting s : ALL) {
            for (int dot = s.key().indexOf('.'); dot > 0; dot = s.key().indexOf('.', dot + 1)) {
                String group = s.key().substring(0, dot);
                if (!groups.contains(group)) {
                    groups.add(group);
                }
            }
        }
        return List.copyOf(groups);
    }
}
