package io.sockeye.netty.internal;

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
}
