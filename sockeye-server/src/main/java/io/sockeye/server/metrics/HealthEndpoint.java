package io.sockeye.server.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.sockeye.core.RequestInfo;
import io.sockeye.netty.HttpFallback;

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
public final class HealthEndpoint implements HttpFallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Readiness readiness;

    public HealthEndpoint(Readiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, RequestInfo info) {
        String path = info.path();
        boolean live = path.equals("/healthz");
        if (!live && !path.equals("/readyz")) {
            return false;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = request.method() == HttpMethod.HEAD;
        if (request.method() != HttpMethod.GET && !head) {
            OpsResponses.json(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "{\"ok\":false,\"error\":{\"code\":\"invalid\",\"message\":\"use GET\"}}", false);
            return true;
        }
        if (live) {
            OpsResponses.json(ctx, keepAlive, HttpResponseStatus.OK, "{\"ok\":true,\"status\":\"alive\"}", head);
            return true;
        }
        Readiness.Status status = readiness.status();
        OpsResponses.json(ctx, keepAlive, status.ready() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                readyJson(status), head);
        return true;
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
