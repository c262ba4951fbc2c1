package io.sockeye.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.sockeye.core.RequestInfo;
import io.sockeye.netty.HttpFallback;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The standalone server's one HTTP routing layer, for every request outside the Engine.IO path: the
 * features register their routes ({@link HttpFeature}), and a request goes to
 *
 * <ol>
 *   <li>the handler of its exact path ({@code /healthz}, {@code /metrics}), else</li>
 *   <li>the handler of the longest registered prefix ({@code /api}, {@code /admin}: the prefix itself and
 *       everything under {@code prefix/}), else</li>
 *   <li>the catch-all handlers in registration order (the demo page's files), the first that knows the
 *       path answering.</li>
 * </ol>
 *
 * Unmatched requests are left to the caller ({@link #handle} returns {@code false}: 404). Paths are
 * compared as decoded ({@link RequestInfo#path()}). Registering a path or prefix twice fails at build
 * time, so two features can never silently shadow each other. Immutable once built; thread-safe.
 */
public final class HttpRouter implements HttpFallback {

    private final Map<String, HttpHandler> exact;
    private final List<Map.Entry<String, HttpHandler>> prefixes;
    private final List<HttpFallback> catchAll;
    private final List<String> description;

    private HttpRouter(Builder b) {
        this.exact = Map.copyOf(b.exact);
        List<Map.Entry<String, HttpHandler>> byLength = new ArrayList<>(b.prefixes.entrySet());
        byLength.sort(Comparator.comparingInt((Map.Entry<String, HttpHandler> e) -> e.getKey().length()).reversed());
        this.prefixes = List.copyOf(byLength);
        this.catchAll = List.copyOf(b.catchAll);
        this.description = List.copyOf(b.description);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A router with these features' routes, in this order. */
    public static HttpRouter of(HttpFeature... features) {
        Builder b = builder();
        for (HttpFeature f : features) {
            b.add(f);
        }
        return b.build();
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, RequestInfo info) {
        String path = info.path();
        HttpHandler handler = exact.get(path);
        if (handler == null) {
            handler = byPrefix(path);
        }
        if (handler != null) {
            handler.handle(ctx, request, info);
            return true;
        }
        for (HttpFallback f : catchAll) {
            if (f.handle(ctx, request, info)) {
                return true;
            }
        }
        return false;
    }

    private HttpHandler byPrefix(String path) {
        for (Map.Entry<String, HttpHandler> e : prefixes) {
            String prefix = e.getKey();
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The routes in registration order, e.g. {@code "/healthz"}, {@code "/api/*"}, {@code "*"}. */
    public List<String> routes() {
        return description;
    }

    @Override
    public String toString() {
        return "HttpRouter" + description;
    }

    /** Collects routes; {@link #build()} checks that no path is claimed twice. */
    public static final class Builder {
        private final Map<String, HttpHandler> exact = new LinkedHashMap<>();
        private final Map<String, HttpHandler> prefixes = new LinkedHashMap<>();
        private final List<HttpFallback> catchAll = new ArrayList<>();
        private final List<String> description = new ArrayList<>();

        private Builder() {
        }

        /** Registers {@code feature}'s routes. */
        public Builder add(HttpFeature feature) {
            feature.registerRoutes(this);
            return this;
        }

        /** {@code path} exactly, e.g. {@code /healthz}. */
        public Builder exact(String path, HttpHandler handler) {
            requirePath(path);
            if (exact.putIfAbsent(path, Objects.requireNonNull(handler, "handler")) != null) {
                throw new IllegalStateException("two routes for " + path);
            }
            description.add(path);
            return this;
        }

        /** {@code prefix} and every path under {@code prefix/}, e.g. {@code /api} for {@code /api/publish}. */
        public Builder prefix(String prefix, HttpHandler handler) {
            requirePath(prefix);
            if (prefix.endsWith("/")) {
                throw new IllegalArgumentException("a prefix is given without its trailing slash: " + prefix);
            }
            if (prefixes.putIfAbsent(prefix, Objects.requireNonNull(handler, "handler")) != null) {
                throw new IllegalStateException("two routes for " + prefix + "/*");
            }
            description.add(prefix + "/*");
            return this;
        }

        /** Any path no exact or prefix route takes; {@code handler} returns {@code false} for paths it does not know. */
        public Builder catchAll(HttpFallback handler) {
            catchAll.add(Objects.requireNonNull(handler, "handler"));
            description.add("*");
            return this;
        }

        public HttpRouter build() {
            return new HttpRouter(this);
        }

        private static void requirePath(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("a route's path starts with /: " + path);
            }
        }
    }
}
