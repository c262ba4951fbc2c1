package io.sockeye.server.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sockeye.server.http.HttpFeature;
import io.sockeye.server.http.HttpReply;
import io.sockeye.server.http.HttpRouter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The probes a load balancer or orchestrator calls, unauthenticated and cheap (answered on the event
 * loop):
 *
 * <pre>
 * GET /healthz   liveness: 200 {"ok":true,"status":"alive"} as long as the process serves HTTP at all.
 *                Never fails while draining or while the cluster bus is down: restarting for those
 *                would only make things worse.
 * GET /readyz    readiness: 200 {"ok":true,"ready":true,"status":"ready",...} or
 *                503 {"ok":false,"ready":false,"status":"not ready","reasons":["draining"],...}:
 *                send new connections elsewhere. See {@link Readiness}.
 * </pre>
 */
public final class HealthEndpoint implements HttpFeature {

    /** The liveness probe's path. */
    public static final String LIVENESS = "/healthz";
    /** The readiness probe's path. */
    public static final String READINESS = "/readyz";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Readiness readiness;

    public HealthEndpoint(Readiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public void registerRoutes(HttpRouter.Builder routes) {
        routes.exact(LIVENESS, (ctx, request, info) -> answer(HttpReply.to(ctx, request), request, true));
        routes.exact(READINESS, (ctx, request, info) -> answer(HttpReply.to(ctx, request), request, false));
    }

    private void answer(HttpReply reply, FullHttpRequest request, boolean live) {
        if (request.method() != HttpMethod.GET && !reply.head()) {
            reply.json(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "{\"ok\":false,\"error\":{\"code\":\"invalid\",\"message\":\"use GET\"}}");
            return;
        }
        if (live) {
            reply.json(HttpResponseStatus.OK, "{\"ok\":true,\"status\":\"alive\"}");
            return;
        }
        Readiness.Status status = readiness.status();
        reply.json(status.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, readyJson(status));
    }

    static String readyJson(Readiness.Status status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", status.ready());
        body.put("ready", status.ready());
        body.put("status", status.status());
        body.put("reasons", status.reasons());
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("draining", status.draining());
        checks.put("clusterBus", status.clusterBus());
        if (!status.clusterBusDetail().isEmpty()) {
            checks.put("clusterBusDetail", status.clusterBusDetail());
        }
        body.put("checks", checks);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // plain maps of strings and booleans always serialize
        }
    }
}
