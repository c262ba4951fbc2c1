package io.sockeye.server.config;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterURIUtil;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code redis_url} setting, read: where Redis is (one server, a Sentinel-managed master, or a
 * Redis Cluster), the adapter ({@code ?adapter=pubsub|streams}, pub/sub by default: the
 * {@code @socket.io/redis-adapter} formats, or the {@code @socket.io/redis-streams-adapter} one), the
 * mode ({@code ?mode=classic|sharded}, classic by default; with the streams adapter, sharded means
 * sharded pub/sub for its requests), and the URL Lettuce gets (without {@code adapter} and
 * {@code mode}, which are ours).
 *
 * <ul>
 *   <li>{@code redis://[:password@]host[:port][/db]}, {@code rediss://…} (TLS): one server.</li>
 *   <li>{@code redis-sentinel://[password@]host1[:port1][,host2[:port2]…][/db]?sentinelMasterId=name}
 *       (also {@code rediss-sentinel://}, and {@code #name} for the master's name): Lettuce's own form;
 *       the connections go to the master the sentinels name, asked again on every reconnection.</li>
 *   <li>{@code redis-cluster://[:password@]host1[:port1][,host2[:port2]…]} (also {@code rediss-cluster://}):
 *       a Redis Cluster, reached through any of the listed nodes; translated to Lettuce's cluster
 *       client, which learns the other nodes itself.</li>
 * </ul>
 */
public record RedisUrl(URI uri, Topology topology, String adapter, String mode, List<String> hosts, String masterId) {

    /** What the URL points at. */
    public enum Topology { SINGLE, SENTINEL, CLUSTER }

    /** The {@code redis_url} query parameter choosing the Redis adapter's mode. */
    static final String MODE_PARAMETER = "mode";
    /** The {@code redis_url} query parameter choosing the Redis adapter: {@code pubsub} or {@code streams}. */
    static final String ADAPTER_PARAMETER = "adapter";
    public static final String PUBSUB = "pubsub";
    public static final String STREAMS = "streams";

    static final List<String> SCHEMES = List.of("redis", "rediss", "redis-sentinel", "rediss-sentinel",
            "redis-cluster", "rediss-cluster");

    /**
     * Reads and checks {@code text}.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing a password)
     */
    static RedisUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL (" + e.getReason() + "): '" + mask(text) + "'");
        }
        return of(uri);
    }

    /** Reads and checks an already parsed URL (see {@link #parse}). */
    public static RedisUrl of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("must be a URL starting with "
                    + String.join(", ", SCHEMES.stream().map(s -> s + "://").toList()) + ", got '" + mask(uri.toString()) + "'");
        }
        Topology topology = scheme.endsWith("-sentinel") ? Topology.SENTINEL
                : scheme.endsWith("-cluster") ? Topology.CLUSTER : Topology.SINGLE;
        String mode = redisMode(uri);
        if (mode == null) {
            throw new IllegalArgumentException("mode must be classic or sharded, got '" + rawMode(uri) + "'");
        }
        String adapter = adapter(uri);
        if (adapter == null) {
            throw new IllegalArgumentException("adapter must be pubsub or streams, got '"
                    + queryParameter(uri, ADAPTER_PARAMETER) + "'");
        }
        List<String> hosts = hosts(uri, topology == Topology.SENTINEL ? 26379 : 6379);
        if (topology == Topology.SINGLE && hosts.size() > 1) {
            throw new IllegalArgumentException(scheme + ":// takes one host (got " + String.join(",", hosts)
                    + "); for several use redis-sentinel:// or redis-cluster://");
        }
        String masterId = null;
        if (topology == Topology.SENTINEL) {
            masterId = queryParameter(uri, "sentinelMasterId");
            if (masterId == null && uri.getFragment() != null && !uri.getFragment().isEmpty()) {
                masterId = uri.getFragment();
            }
            if (masterId == null || masterId.isEmpty()) {
                throw new IllegalArgumentException(scheme + ":// needs the name of the master the sentinels watch: add "
                        + "?sentinelMasterId=<name>, e.g. " + scheme + "://" + hosts.get(0) + "?sentinelMasterId=mymaster");
            }
        }
        if (topology == Topology.CLUSTER) {
            String path = uri.getRawPath();
            if (path != null && !path.isEmpty() && !path.equals("/") && !path.equals("/0")) {
                throw new IllegalArgumentException("a Redis Cluster has only database 0, got '" + path.substring(1) + "'");
            }
        }
        RedisUrl url = new RedisUrl(uri, topology, adapter, mode, List.copyOf(hosts), masterId);
        try {
            url.lettuceUris();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a Redis URL Lettuce understands (" + mask(String.valueOf(e.getMessage()))
                    + "): '" + mask(uri.toString()) + "'");
        }
        return url;
    }

    /** For logs and messages, without credentials: {@code 127.0.0.1:6379}, {@code sentinel master mymaster at h1:26379,h2:26379}… */
    public String where() {
        return switch (topology) {
            case SINGLE -> hosts.get(0);
            case SENTINEL -> "sentinel master " + masterId + " at " + String.join(",", hosts);
            case CLUSTER -> "Redis Cluster " + String.join(",", hosts);
        };
    }

    /**
     * E.g. {@code redis classic 127.0.0.1:6379}, {@code redis sharded Redis Cluster h1:7000,h2:7001},
     * {@code redis streams 127.0.0.1:6379} (streams with sharded pub/sub: {@code redis streams sharded …}).
     */
    public String describe() {
        return "redis " + kind() + " " + where();
    }

    /** {@code classic}, {@code sharded}, {@code streams} or {@code streams sharded}. */
    public String kind() {
        if (isStreams()) {
            return mode.equals("sharded") ? "streams sharded" : STREAMS;
        }
        return mode;
    }

    /** Whether the URL asks for the Redis Streams adapter. */
    public boolean isStreams() {
        return STREAMS.equals(adapter);
    }

    /** One Lettuce URI (a server, or the sentinels), or the cluster's seed nodes. */
    public List<RedisURI> lettuceUris() {
        String text = withoutMode(uri);
        if (topology != Topology.CLUSTER) {
            return List.of(RedisURI.create(text));
        }
        // redis-cluster://a,b → redis://a,b: Lettuce's cluster form, one RedisURI per seed node.
        String lettuce = text.replaceFirst("(?i)^(rediss?)-cluster:", "$1:");
        return RedisClusterURIUtil.toRedisURIs(URI.create(lettuce));
    }

    /** {@code classic} (the default) or {@code sharded}; {@code null} for any other {@code mode}. */
    static String redisMode(URI uri) {
        String raw = rawMode(uri);
        if (raw == null) {
            return "classic";
        }
        String mode = raw.toLowerCase(Locale.ROOT);
        return mode.equals("classic") || mode.equals("sharded") ? mode : null;
    }

    /** {@code pubsub} (the default) or {@code streams}; {@code null} for any other {@code adapter}. */
    static String adapter(URI uri) {
        String raw = queryParameter(uri, ADAPTER_PARAMETER);
        if (raw == null) {
            return PUBSUB;
        }
        String adapter = raw.toLowerCase(Locale.ROOT);
        return adapter.equals(PUBSUB) || adapter.equals(STREAMS) ? adapter : null;
    }

    /** The {@code mode} query parameter as written, or {@code null}. */
    static String rawMode(URI uri) {
        return queryParameter(uri, MODE_PARAMETER);
    }

    /**
     * The URL for Lettuce: {@code mode} and {@code adapter} are ours, the other parameters (timeout,
     * database...) are its.
     */
    static String withoutMode(URI uri) {
        String text = uri.toString();
        int q = text.indexOf('?');
        if (q < 0) {
            return text;
        }
        int hash = text.indexOf('#', q);
        int end = hash < 0 ? text.length() : hash;
        List<String> kept = new ArrayList<>();
        for (String pair : text.substring(q + 1, end).split("&")) {
            if (!pair.isEmpty() && !pair.startsWith(MODE_PARAMETER + "=") && !pair.startsWith(ADAPTER_PARAMETER + "=")) {
                kept.add(pair);
            }
        }
        return text.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept)) + text.substring(end);
    }

    private static List<String> hosts(URI uri, int defaultPort) {
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new IllegalArgumentException("URL has no host: '" + mask(uri.toString()) + "'");
        }
        String hostList = authority.substring(authority.lastIndexOf('@') + 1);
        List<String> hosts = new ArrayList<>();
        for (String entry : hostList.split(",", -1)) {
            int colon = entry.lastIndexOf(':');
            boolean hasPort = colon >= 0 && colon > entry.lastIndexOf(']');
            String host = hasPort ? entry.substring(0, colon) : entry;
            int port = defaultPort;
            if (hasPort) {
                try {
                    port = Integer.parseInt(entry.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("URL has no host: '" + mask(uri.toString()) + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad port in '" + entry + "': must be between 1 and 65535");
            }
            hosts.add(host + ":" + port);
        }
        return hosts;
    }

    private static String queryParameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    // URLs may carry credentials (redis://:password@host); never echo those.
    private static String mask(String text) {
        return text.replaceAll("//[^/@]*@", "//****@");
    }
}
