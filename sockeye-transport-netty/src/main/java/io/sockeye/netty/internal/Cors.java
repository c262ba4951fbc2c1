package io.sockeye.netty.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.sockeye.core.CorsOptions;
import io.sockeye.core.RequestInfo;

/**
 * CORS headers for polling requests and preflights, behaving like the {@code cors} npm middleware
 * that engine.io uses — except that a disallowed origin gets no Allow-Origin header at all.
 */
public final class Cors {

    static final String PREFLIGHT_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE";

    private Cors() {
    }

    public static void apply(CorsOptions cors, RequestInfo req, HttpHeaders out) {
        if (cors == null) {
            return;
        }
        if (cors.wildcard()) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        } else {
            String origin = req.origin();
            if (origin != null && cors.allowOrigin().test(origin)) {
                out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            }
            out.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
        if (cors.credentials()) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
    }

    static void applyPreflight(CorsOptions cors, RequestInfo req, HttpHeaders out) {
        apply(cors, req, out);
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, PREFLIGHT_METHODS);
        if (!cors.allowedHeaders().isEmpty()) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, String.join(",", cors.allowedHeaders()));
        } else {
            String requested = req.header("access-control-request-headers");
            if (requested != null) {
                out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested);
                out.add(HttpHeaderNames.VARY, HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
            }
        }
        if (cors.maxAge() != null) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, cors.maxAge().toSeconds());
        }
    }
}
