package io.sockeye.core;

import java.util.Map;

/**
 * What a socket presented when it connected to its namespace; the field names and formats match
 * socket.io's {@code socket.handshake}, so it serializes to the same JSON (cluster adapters and the
 * Admin UI rely on that). Immutable.
 *
 * @param headers lower-case header names of the request that opened the connection
 * @param time    when the socket connected, formatted like JavaScript's {@code Date.toString()},
 *                e.g. {@code Tue Mar 05 2024 10:15:30 GMT+0100 (Central European Standard Time)}
 * @param address the client's IP address: behind a trusted proxy the address it forwarded, not the
 *                proxy's (socket.io gives the direct peer here); the direct peer is
 *                {@code socket.request().peerAddress()}
 * @param xdomain whether the request carried an {@code Origin} header
 * @param secure  whether the connection is over TLS
 * @param issued  when the socket connected, in epoch milliseconds
 * @param url     the request target (path and query string) of the first request
 * @param query   query parameters of the first request
 * @param auth    the CONNECT packet's payload ({@code {}} when the client sent none)
 */
public record Handshake(Map<String, String> headers, String time, String address, boolean xdomain,
                        boolean secure, long issued, String url, Map<String, String> query,
                        Map<String, Object> auth) {

    public Handshake {
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
        // auth comes from JSON and may hold nulls, which Map.copyOf refuses.
        auth = auth.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(auth));
    }
}
