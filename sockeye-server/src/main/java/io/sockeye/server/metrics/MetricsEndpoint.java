package io.sockeye.server.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.sockeye.core.RequestInfo;
import io.sockeye.server.http.BearerToken;
import io.sockeye.server.http.HttpFeature;
import io.sockeye.server.http.HttpReply;
import io.sockeye.server.http.HttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@code GET /metrics}: the registry in the Prometheus text format (or another format the scraper's
 * {@code Accept} header asks for), written by the Prometheus client's own exposition writers.
 *
 * <p>Access: on the public port it requires {@code Authorization: Bearer <api key>} ({@link #protectedBy});
 * without an API key configured it answers 401 saying how to enable it. On a separate metrics port it
 * is open ({@link #open}): that port is meant for the operator's network only.
 *
 * <p>Scraping walks every metric, including gauges that sum over all sessions, so it runs on its own
 * thread, never on an event loop; the response is written back through the channel.
 */
public final class MetricsEndpoint implements HttpFeature, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    /** The path served. */
    public static final String PATH = "/metrics";

    private static final String NO_KEY = "{\"ok\":false,\"error\":{\"code\":\"unauthorized\",\"message\":"
            + "\"/metrics on this port needs the API key (Authorization: Bearer); set --api-key, or serve metrics on"
            + " a separate port with --metrics-port\"}}";
    private static final String UNAUTHORIZED = "{\"ok\":false,\"error\":{\"code\":\"unauthorized\","
            + "\"message\":\"missing or wrong API key\"}}";

    private final PrometheusRegistry registry;
    private final BearerToken key;      // null: open, or closed when requireKey
    private final boolean requireKey;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final ExecutorService scraper = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sockeye-metrics-scrape");
        t.setDaemon(true);
        return t;
    });

    private MetricsEndpoint(PrometheusRegistry registry, String apiKey, boolean requireKey) {
        this.registry = registry;
        this.key = apiKey == null ? null : new BearerToken(apiKey);
        this.requireKey = requireKey;
    }

    /** For the public port: only with {@code Authorization: Bearer <apiKey>}; {@code apiKey} null refuses all. */
    public static MetricsEndpoint protectedBy(PrometheusRegistry registry, String apiKey) {
        return new MetricsEndpoint(registry, apiKey, true);
    }

    /** For the separate metrics port: no authentication. */
    public static MetricsEndpoint open(PrometheusRegistry registry) {
        return new MetricsEndpoint(registry, null, false);
    }

    @Override
    public void registerRoutes(HttpRouter.Builder routes) {
        routes.exact(PATH, this::handle);
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request, RequestInfo info) {
        HttpReply reply = HttpReply.to(ctx, request);
        if (request.method() != HttpMethod.GET && !reply.head()) {
            reply.json(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "{\"ok\":false,\"error\":{\"code\":\"invalid\",\"message\":\"use GET\"}}");
            return;
        }
        if (requireKey) {
            if (key == null) {
                reply.json(HttpResponseStatus.UNAUTHORIZED, NO_KEY);
                return;
            }
            if (!key.matches(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                reply.json(HttpResponseStatus.UNAUTHORIZED, UNAUTHORIZED);
                return;
            }
        }
        // The request is released when this returns: keep only what the scrape needs.
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        try {
            scraper.execute(() -> scrape(ctx, reply, accept));
        } catch (RejectedExecutionException e) {
            reply.json(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "{\"ok\":false,\"error\":{\"code\":\"unavailable\",\"message\":\"shutting down\"}}");
        }
    }

    private void scrape(ChannelHandlerContext ctx, HttpReply reply, String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        ByteBuf body = ctx.alloc().buffer();
        try {
            try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
                writer.write(out, registry.scrape());
            }
        } catch (IOException | RuntimeException e) {
            body.release();
            log.warn("metrics scrape failed", e);
            reply.json(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "{\"ok\":false,\"error\":{\"code\":\"unavailable\",\"message\":\"scrape failed\"}}");
            return;
        }
        reply.send(HttpResponseStatus.OK, writer.getContentType(), body);
    }

    @Override
    public void close() {
        scraper.shutdownNow();
    }
}
