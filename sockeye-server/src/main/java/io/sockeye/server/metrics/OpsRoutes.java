package io.sockeye.server.metrics;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.sockeye.core.RequestInfo;
import io.sockeye.netty.HttpFallback;

import java.util.List;

/**
 * Chains {@link HttpFallback}s: the first that handles a request wins. How the operations endpoints
 * go in front of the application's own routes:
 *
 * <pre>{@code
 * .fallback(OpsRoutes.chain(new HealthEndpoint(readiness), MetricsEndpoint.protectedBy(registry, apiKey), appRoutes))
 * }</pre>
 */
public final class OpsRoutes implements HttpFallback {

    private final List<HttpFallback> routes;

    private OpsRoutes(List<HttpFallback> routes) {
        this.routes = routes;
    }

    public static OpsRoutes chain(HttpFallback... routes) {
        return new OpsRoutes(List.of(routes));
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, RequestInfo info) {
        for (HttpFallback route : routes) {
            if (route.handle(ctx, request, info)) {
                return true;
            }
        }
        return false;
    }
}
