package io.sockeye.netty;

import java.util.HashMap;
import java.util.Map;

/**
 * One shared instance of the header names, header values and query parameters that nearly every
 * request carries. A session keeps its handshake request for its whole life (socket.io's
 * {@code socket.handshake}), so without this every idle connection would hold its own copies of
 * "sec-websocket-version", "websocket", "EIO", "4" and so on: a few hundred bytes each.
 */
final class CommonStrings {

    private static final Map<String, String> KNOWN = new HashMap<>();

    static {
        for (String s : new String[] {
                // header names (lower case, as RequestInfo stores them)
                "host", "connection", "upgrade", "origin", "user-agent", "accept", "accept-encoding",
                "accept-language", "cache-control", "pragma", "cookie", "referer", "content-type",
                "content-length", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
                "sec-websocket-protocol", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest",
                "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "x-forwarded-for",
                "x-forwarded-proto", "x-forwarded-host", "x-real-ip", "authorization", "dnt", "priority",
                // header values
                "Upgrade", "upgrade", "websocket", "WebSocket", "keep-alive", "Keep-Alive", "close", "13",
                "*/*", "gzip, deflate", "gzip, deflate, br", "gzip, deflate, br, zstd", "no-cache",
                "permessage-deflate; client_max_window_bits", "cross-site", "same-origin", "same-site",
                "cors", "empty", "?0", "1", "u=1, i", "text/plain;charset=UTF-8", "text/plain; charset=UTF-8",
                // query parameters and values, paths
                "EIO", "4", "3", "transport", "polling", "t", "sid", "j", "b64", "/socket.io/", "GET", "POST"}) {
            KNOWN.put(s, s);
        }
    }

    private CommonStrings() {
    }

    /** The shared instance equal to {@code s}, or {@code s} itself. */
    static String canonical(String s) {
        String known = KNOWN.get(s);
        return known != null ? known : s;
    }

    // Header values that vary between deployments but repeat across their connections: the host, the
    // page's origin, a browser's user-agent and accept-language (a browser's user-agent alone is 100+
    // characters). Learnt as they come, bounded in count and length; values that are per connection
    // (keys, cookies, credentials) are never kept.
    private static final int MAX_LEARNT = 4096;
    private static final int MAX_LEARNT_LENGTH = 512;
    private static final java.util.Set<String> LEARNABLE = java.util.Set.of(
            "host", "origin", "user-agent", "accept-language", "accept", "accept-encoding", "referer",
            "sec-ch-ua", "sec-ch-ua-platform", "x-forwarded-proto", "x-forwarded-host", "via");
    private static final java.util.concurrent.ConcurrentHashMap<String, String> LEARNT =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A shared instance of header {@code value} (header {@code lowerCaseName}) when it is common. */
    static String headerValue(String lowerCaseName, String value) {
        String known = KNOWN.get(value);
        if (known != null || !LEARNABLE.contains(lowerCaseName) || value.length() > MAX_LEARNT_LENGTH) {
            return known != null ? known : value;
        }
        return learn(value);
    }

    /**
     * A shared instance of a handshake URL when it can repeat: the same for every WebSocket-only client
     * of an app ({@code /socket.io/?EIO=4&transport=websocket}), while polling URLs carry a cache-busting
     * {@code t} or a session id and are never kept.
     */
    static String url(String uri, java.util.Map<String, String> query) {
        if (query.containsKey("t") || query.containsKey("sid") || uri.length() > MAX_LEARNT_LENGTH) {
            return uri;
        }
        return learn(uri);
    }

    private static String learn(String value) {
        String learnt = LEARNT.get(value);
        if (learnt != null) {
            return learnt;
        }
        if (LEARNT.size() >= MAX_LEARNT) {
            return value; // full: new values are simply not shared (no eviction races, no unbounded growth)
        }
        String previous = LEARNT.putIfAbsent(value, value);
        return previous != null ? previous : value;
    }
}
