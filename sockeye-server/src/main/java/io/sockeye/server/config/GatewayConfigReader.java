package io.sockeye.server.config;

import io.sockeye.server.auth.Glob;
import io.sockeye.server.gateway.GatewaySettings;
import io.sockeye.server.gateway.GatewaySettings.ConnectMode;
import io.sockeye.server.gateway.forward.ForwardSettings;
import io.sockeye.server.gateway.forward.ForwardSettings.Route;
import io.sockeye.server.gateway.proxy.ProxyKind;
import io.sockeye.server.gateway.proxy.ProxySettings;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the gateway's keys ({@code proxy.*}, {@code forward.*}) into {@link GatewaySettings}, recording a
 * problem per bad value like the other keys.
 */
final class GatewayConfigReader {

    // RFC 9110 §5.6.2 token: the characters a header (and, RFC 6265, a cookie) name may hold.
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers the gateway sets itself, or that the HTTP client must manage: never passed through. */
    private static final Set<String> NOT_PASSED = Set.of("connection", "content-length", "content-type", "expect",
            "host", "upgrade", "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection");
    private static final Pattern KAFKA_TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern NATS_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern NATS_SUBJECT = Pattern.compile("[A-Za-z0-9_:@/-]+(\\.[A-Za-z0-9_:@/-]+)*");

    private GatewayConfigReader() {
    }

    static GatewaySettings read(Values v) {
        Map<ProxyKind, ProxySettings> proxies = new EnumMap<>(ProxyKind.class);
        for (ProxyKind kind : ProxyKind.values()) {
            ProxySettings p = proxy(v, kind);
            if (p != null) {
                proxies.put(kind, p);
            }
        }
        String mode = v.choice(Settings.PROXY_CONNECT_MODE, "jwt_first", "proxy_only");
        int retries = (int) v.integer(Settings.PROXY_RETRIES, 0, 10);
        int maxAnswer = (int) v.integer(Settings.PROXY_MAX_ANSWER_BYTES, 1, Integer.MAX_VALUE);
        // A bad value is recorded as a problem (reported with the others); the pool only needs a valid stand-in.
        int maxConnections = (int) Math.min(100_000, Math.max(1, v.integer(Settings.PROXY_MAX_CONNECTIONS, 1, 100_000)));
        GatewaySettings.Pool pool = new GatewaySettings.Pool(maxConnections, v.duration(Settings.PROXY_IDLE_TIMEOUT, false));
        return new GatewaySettings(proxies, "proxy_only".equals(mode) ? ConnectMode.PROXY_ONLY : ConnectMode.JWT_FIRST,
                retries, maxAnswer, pool, forward(v));
    }

    private static ProxySettings proxy(Values v, ProxyKind kind) {
        String k = kind.key();
        URI url = v.url(Settings.proxy(k, "url"), "http", "https");
        Duration timeout = v.duration(Settings.proxy(k, "timeout"), false);
        List<String> headers = headerNames(v, Settings.proxy(k, "headers"));
        List<String> cookies = v.list(Settings.proxy(k, "cookies"));
        for (String cookie : cookies) {
            if (!TOKEN.matcher(cookie).matches()) {
                v.problem(Settings.proxy(k, "cookies"), "'" + cookie + "' is not a cookie name");
            }
        }
        List<String> rooms = List.of();
        if (Settings.ROOM_SCOPED_PROXY_KINDS.contains(k)) {
            Setting roomsKey = Settings.proxy(k, "rooms");
            rooms = v.isSet(roomsKey) ? v.list(roomsKey) : List.of(roomsKey.defaultValue());
            patterns(v, roomsKey, rooms);
        }
        int max = (int) v.integer(Settings.proxy(k, "max_concurrency"), 1, 1_000_000);
        if (url == null) {
            return null;
        }
        return new ProxySettings(url, timeout, headers, cookies, rooms, max);
    }

    private static List<String> headerNames(Values v, Setting key) {
        List<String> names = new ArrayList<>();
        for (String name : v.list(key)) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!TOKEN.matcher(name).matches()) {
                v.problem(key, "'" + name + "' is not a header name");
            } else if (NOT_PASSED.contains(lower) || lower.startsWith("x-sockeye-")) {
                v.problem(key, "'" + name + "' cannot be passed through (the gateway or its HTTP client sets it)");
            } else if (!names.contains(lower)) {
                names.add(lower);
            }
        }
        return names;
    }

    private static void patterns(Values v, Setting key, List<String> patterns) {
        for (String pattern : patterns) {
            try {
                Glob.compile(pattern);
            } catch (IllegalArgumentException e) {
                v.problem(key, e.getMessage());
            }
        }
    }

    // ---- forward.* ------------------------------------------------------------------------------

    private static ForwardSettings forward(Values v) {
        Duration timeout = v.duration(Settings.FORWARD_TIMEOUT, false);
        return new ForwardSettings(timeout, kafka(v), nats(v), redis(v));
    }

    private static ForwardSettings.Kafka kafka(Values v) {
        List<String> brokers = v.list(Settings.FORWARD_KAFKA_BROKERS);
        for (String broker : brokers) {
            if (!broker.matches("[^:\\s]+:\\d{1,5}")) {
                v.problem(Settings.FORWARD_KAFKA_BROKERS, "'" + broker + "' is not host:port");
            }
        }
        List<Route> topics = routes(v, Settings.FORWARD_KAFKA_TOPICS, KAFKA_TOPIC, "a Kafka topic name");
        String rpc = destination(v, Settings.FORWARD_KAFKA_RPC_TOPIC, KAFKA_TOPIC, "a Kafka topic name");
        return brokers.isEmpty() ? needs(v, Settings.FORWARD_KAFKA_BROKERS, topics, rpc,
                Settings.FORWARD_KAFKA_TOPICS, Settings.FORWARD_KAFKA_RPC_TOPIC)
                : new ForwardSettings.Kafka(brokers, topics, rpc);
    }

    private static ForwardSettings.Nats nats(Values v) {
        URI url = v.url(Settings.FORWARD_NATS_URL, "nats", "tls");
        List<String> rooms = v.list(Settings.FORWARD_NATS_ROOMS);
        patterns(v, Settings.FORWARD_NATS_ROOMS, rooms);
        String prefix = destination(v, Settings.FORWARD_NATS_SUBJECT_PREFIX, NATS_SUBJECT, "a NATS subject without wildcards");
        String rpc = destination(v, Settings.FORWARD_NATS_RPC_SUBJECT, NATS_SUBJECT, "a NATS subject without wildcards");
        String stream = destination(v, Settings.FORWARD_NATS_STREAM, NATS_NAME, "a JetStream stream name (A-Z a-z 0-9 _ -)");
        if (url == null) {
            if (!rooms.isEmpty() || rpc != null) {
                v.problem(rooms.isEmpty() ? Settings.FORWARD_NATS_RPC_SUBJECT : Settings.FORWARD_NATS_ROOMS,
                        "needs forward.nats.url");
            }
            return null;
        }
        return new ForwardSettings.Nats(url, rooms, prefix, rpc, stream);
    }

    private static ForwardSettings.Redis redis(Values v) {
        URI url = v.url(Settings.FORWARD_REDIS_URL, "redis", "rediss");
        List<Route> streams = routes(v, Settings.FORWARD_REDIS_STREAMS, Pattern.compile("\\S{1,200}"), "a stream key");
        String rpc = destination(v, Settings.FORWARD_REDIS_RPC_STREAM, Pattern.compile("\\S{1,200}"), "a stream key");
        long maxLen = v.integer(Settings.FORWARD_REDIS_MAX_LEN, 0, Long.MAX_VALUE);
        if (url == null) {
            return needs(v, Settings.FORWARD_REDIS_URL, streams, rpc, Settings.FORWARD_REDIS_STREAMS,
                    Settings.FORWARD_REDIS_RPC_STREAM);
        }
        return new ForwardSettings.Redis(url, streams, rpc, maxLen);
    }

    /** A broker without its address: a problem when routes were given for it, else simply off. */
    private static <T> T needs(Values v, Setting address, List<Route> routes, String rpc, Setting routesKey, Setting rpcKey) {
        if (!routes.isEmpty()) {
            v.problem(routesKey, "needs " + address.key());
        } else if (rpc != null) {
            v.problem(rpcKey, "needs " + address.key());
        }
        return null;
    }

    /** {@code pattern=destination} items. */
    private static List<Route> routes(Values v, Setting key, Pattern destination, String what) {
        List<Route> routes = new ArrayList<>();
        for (String item : v.list(key)) {
            int eq = item.lastIndexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                v.problem(key, "'" + item + "' is not PATTERN=NAME, e.g. chat:*=chat-events");
                continue;
            }
            String pattern = item.substring(0, eq).trim();
            String target = item.substring(eq + 1).trim();
            patterns(v, key, List.of(pattern));
            if (!destination.matcher(target).matches()) {
                v.problem(key, "'" + target + "' is not " + what);
            }
            routes.add(new Route(pattern, target));
        }
        return routes;
    }

    private static String destination(Values v, Setting key, Pattern valid, String what) {
        String text = v.text(key);
        if (text != null && !valid.matcher(text).matches()) {
            v.problem(key, "'" + text + "' is not " + what);
        }
        return text;
    }
}
