package io.sockeye.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Cross-origin rules for HTTP long-polling requests and their preflights (WebSocket handshakes are
 * not subject to CORS; use {@link ServerOptions.Builder#allowRequest} to check their Origin).
 *
 * @param allowOrigin    decides whether an {@code Origin} may read responses; see {@link #anyOrigin()}
 *                       and {@link #origins(String...)}
 * @param wildcard       answer {@code Access-Control-Allow-Origin: *} (only without credentials)
 * @param credentials    send {@code Access-Control-Allow-Credentials: true} (cookies, auth headers)
 * @param allowedHeaders headers allowed in preflights; empty means "echo what the browser asked for"
 * @param maxAge         how long browsers may cache a preflight answer; {@code null} to omit
 */
public record CorsOptions(Predicate<String> allowOrigin, boolean wildcard, boolean credentials,
                          List<String> allowedHeaders, Duration maxAge) {

    public CorsOptions {
        Objects.requireNonNull(allowOrigin, "allowOrigin");
        allowedHeaders = List.copyOf(allowedHeaders);
        if (wildcard && credentials) {
            throw new IllegalArgumentException("cors: '*' cannot be combined with credentials; list the origins instead");
        }
    }

    /** Any origin may read responses ({@code Access-Control-Allow-Origin: *}). */
    public static CorsOptions anyOrigin() {
        return new CorsOptions(o -> true, true, false, List.of(), null);
    }

    /** Only the listed origins (exact match, e.g. {@code https://app.example.com}). */
    public static CorsOptions origins(String... origins) {
        List<String> list = List.of(origins);
        return new CorsOptions(list::contains, false, false, List.of(), null);
    }

    /** Origins accepted by a function of the {@code Origin} header. */
    public static CorsOptions originMatching(Predicate<String> allowOrigin) {
        return new CorsOptions(allowOrigin, false, false, List.of(), null);
    }

    public CorsOptions withCredentials(boolean credentials) {
        return new CorsOptions(allowOrigin, wildcard, credentials, allowedHeaders, maxAge);
    }

    public CorsOptions withAllowedHeaders(String... headers) {
        return new CorsOptions(allowOrigin, wildcard, credentials, List.of(headers), maxAge);
    }

    public CorsOptions withMaxAge(Duration maxAge) {
        return new CorsOptions(allowOrigin, wildcard, credentials, allowedHeaders, maxAge);
    }
}
