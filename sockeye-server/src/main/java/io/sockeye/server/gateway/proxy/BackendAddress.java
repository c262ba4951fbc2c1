package io.sockeye.server.gateway.proxy;

import java.net.URI;

/**
 * Where a proxy's calls go, taken apart once from its URL: the origin its connections are pooled by, the
 * request target and the {@code Host} header.
 *
 * @param origin     scheme, host and port: calls to one origin share its kept-alive connections
 * @param target     the path and query sent in the request line
 * @param hostHeader the URL's authority as the {@code Host} header carries it
 */
record BackendAddress(Origin origin, String target, String hostHeader) {

    /**
     * A backend's scheme, host and port.
     *
     * @param tls  whether the URL is {@code https} (TLS, HTTP/1.1)
     * @param host the host name or address, IPv6 without brackets
     */
    record Origin(boolean tls, String host, int port) {

        @Override
        public String toString() {
            return (tls ? "https://" : "http://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    static BackendAddress of(URI url) {
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        String host = url.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        int port = url.getPort() != -1 ? url.getPort() : tls ? 443 : 80;
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        return new BackendAddress(new Origin(tls, bare, port), target, url.getPort() == -1 ? host : host + ":" + port);
    }
}
