package io.sockeye.server.web;

import io.sockeye.core.AllowRequest;
import io.sockeye.core.CorsOptions;
import io.sockeye.core.RequestInfo;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser pages may open connections, from {@code cors_origins}:
 *
 * <ul>
 *   <li>empty (default): same origin only — the server's own pages (the demo) connect; a page on
 *       another origin is refused with 403. Safe by default; list your app's origins to open up.</li>
 *   <li>a list: those origins and the server's own; CORS answers for exactly those origins.</li>
 *   <li>{@code *}: any origin ({@code Access-Control-Allow-Origin: *}).</li>
 * </ul>
 *
 * Requests without an {@code Origin} header (Node, Java, mobile clients, curl) are not browsers and
 * are always let through: authentication is by token, never by cookie, so the origin check is about
 * which web pages may embed the service, not a security boundary for other clients.
 */
public final class OriginPolicy {

    /** The 403 message, shown in the handshake's error body. */
    static final String REJECTED = "origin not allowed (add it to cors_origins)";

    private final Set<String> origins;
    private final boolean any;

    public OriginPolicy(List<String> corsOrigins) {
        this.any = corsOrigins.contains("*");
        this.origins = Set.copyOf(corsOrigins.stream().map(OriginPolicy::normalize).toList());
    }

    /** CORS rules for polling requests, or {@code null} when only the same origin is allowed (no CORS needed). */
    public CorsOptions cors() {
        if (any) {
            return CorsOptions.anyOrigin();
        }
        if (origins.isEmpty()) {
            return null;
        }
        return CorsOptions.originMatching(o -> origins.contains(normalize(o)));
    }

    /** The handshake check (polling and WebSocket alike): 403 for a browser page on a foreign origin. */
    public AllowRequest allowRequest() {
        return request -> allowed(request) ? null : REJECTED;
    }

    boolean allowed(RequestInfo request) {
        String origin = request.origin();
        if (origin == null || any) {
            return true;
        }
        return origins.contains(normalize(origin)) || sameOrigin(origin, request.header("host"), request.secure());
    }

    /**
     * Whether the page's origin is this server as the browser addressed it ({@code Host} header).
     * Scheme is not compared: behind a TLS-terminating proxy the page is https and the hop is http.
     */
    static boolean sameOrigin(String origin, String host, boolean secure) {
        if (host == null) {
            return false;
        }
        try {
            URI o = new URI(origin);
            if (o.getHost() == null) {
                return false; // "null" (sandboxed frames, file://) is never the same origin
            }
            int originPort = o.getPort() != -1 ? o.getPort() : defaultPort(o.getScheme());
            URI h = new URI("x://" + host);
            if (h.getHost() == null) {
                return false;
            }
            int hostPort = h.getPort() != -1 ? h.getPort() : (o.getPort() == -1 ? originPort : (secure ? 443 : 80));
            return o.getHost().equalsIgnoreCase(h.getHost()) && originPort == hostPort;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    /** Origins compare case-insensitively and without a trailing slash. */
    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
