package io.sockeye.core;

import java.util.List;
import java.util.Map;

/**
 * The HTTP request that opened an Engine.IO session (or any later request of it), as the transport
 * saw it. Header names are lower-case. Immutable.
 *
 * @param method        HTTP method, upper-case
 * @param url           the request target as sent (path and query string)
 * @param path          the path part of {@code url}
 * @param query         decoded query parameters (first value of each name)
 * @param headers       headers with lower-case names (repeated headers joined with ", ")
 * @param remoteAddress the client's IP address as text: the peer's, or — when the peer is a trusted
 *                      proxy — the address it forwarded (see
 *                      {@link io.sockeye.core.spi.transport.TrustedProxies}); what per-address limits count
 * @param peerAddress   the direct peer's IP address as text: the other end of the TCP connection (the
 *                      load balancer, behind one); equal to {@code remoteAddress} without a trusted proxy
 * @param secure        whether the request came over TLS
 */
public record RequestInfo(String method, String url, String path, Map<String, String> query,
                          Map<String, String> headers, String remoteAddress, String peerAddress, boolean secure) {
    public RequestInfo {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    /** A request that came straight from the client: {@code peerAddress} is {@code remoteAddress}. */
    public RequestInfo(String method, String url, String path, Map<String, String> query,
                       Map<String, String> headers, String remoteAddress, boolean secure) {
        this(method, url, path, query, headers, remoteAddress, remoteAddress, secure);
    }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    public String queryParam(String name) {
        return query.get(name);
    }

    /** The {@code Origin} header, or {@code null}. */
    public String origin() {
        return headers.get("origin");
    }

    static List<String> split(String csv) {
        return csv == null ? List.of() : List.of(csv.split("\\s*,\\s*"));
    }
}
