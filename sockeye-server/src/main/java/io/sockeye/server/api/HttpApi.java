package io.sockeye.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.adapter.ClusterUnavailableException;
import io.sockeye.server.http.BearerToken;
import io.sockeye.server.http.HttpFeature;
import io.sockeye.server.http.HttpReply;
import io.sockeye.server.http.HttpRouter;
import io.sockeye.server.limits.LimitsSettings;
import io.sockeye.server.limits.RejectionReason;
import io.sockeye.server.limits.Stats;
import io.sockeye.server.rooms.ErrorCode;
import io.sockeye.server.rooms.RoomsException;
import io.sockeye.server.rooms.RoomsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The HTTP API for backends, under {@code /api/}: JSON in and out, every request
 * authenticated with {@code Authorization: Bearer <api key>}; errors are
 * {@code {ok: false, error: {code, message}}} with a fitting status. See {@link ApiRoutes} for the
 * endpoints; the router hands this everything under {@code /api}, which then routes on the raw path
 * (so that a room name may hold a percent-encoded {@code /}).
 *
 * <p>Order of checks: API key (401; 403 when no key is configured, which disables the API), body size
 * (413), route (404/405), then the request itself (400, 503 when a cluster-wide query fails).
 * Runs on the event loop and never blocks it: queries answer when their future completes.
 */
public final class HttpApi implements HttpFeature {

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final BearerToken apiKey;
    private final LimitsSettings limits;
    private final Stats stats;
    private final ApiRoutes routes;

    /** @param apiKey the key backends present; {@code null} or blank disables the API (every call gets 403) */
    public HttpApi(RoomsService rooms, String apiKey, LimitsSettings limits) {
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : new BearerToken(apiKey);
        this.limits = limits;
        this.stats = rooms.stats();
        this.routes = new ApiRoutes(rooms);
    }

    @Override
    public void registerRoutes(HttpRouter.Builder routes) {
        routes.prefix("/api", this::handle);
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request, RequestInfo info) {
        String rawPath = new QueryStringDecoder(info.url()).rawPath();
        HttpReply reply = HttpReply.to(ctx, request);
        CompletableFuture<ApiResponse> response;
        try {
            response = serve(request, info, rawPath);
        } catch (RoomsException e) {
            response = CompletableFuture.completedFuture(ApiResponse.error(e));
        } catch (ClusterUnavailableException e) {
            response = CompletableFuture.completedFuture(unavailable(e, info, rawPath));
        } catch (RuntimeException e) {
            log.warn("HTTP API {} {} failed", info.method(), rawPath, e);
            response = CompletableFuture.completedFuture(
                    ApiResponse.error(ErrorCode.UNAVAILABLE, "internal error"));
        }
        response.whenComplete((res, error) -> {
            ApiResponse out = error == null ? res : failure(error, info, rawPath);
            if (!out.ok() && out.status() != 401 && out.status() != 413 && out.status() != 403) {
                stats.rejected(RejectionReason.API_BAD_REQUEST);
            }
            write(reply, out);
        });
    }

    private CompletableFuture<ApiResponse> serve(FullHttpRequest request, RequestInfo info, String rawPath) {
        if (apiKey == null) {
            stats.rejected(RejectionReason.API_UNAUTHORIZED);
            return done(ApiResponse.error(ErrorCode.FORBIDDEN, "the HTTP API is disabled: no api key is configured"));
        }
        if (!apiKey.matches(info.header("authorization"))) {
            stats.rejected(RejectionReason.API_UNAUTHORIZED);
            return done(ApiResponse.error(ErrorCode.UNAUTHORIZED, "missing or wrong api key")
                    .withHeader("WWW-Authenticate", "Bearer"));
        }
        int size = request.content().readableBytes();
        if (size > limits.apiMaxBodyBytes()) {
            stats.rejected(RejectionReason.API_TOO_LARGE);
            return done(ApiResponse.error(ErrorCode.TOO_LARGE,
                    "request body is larger than " + limits.apiMaxBodyBytes() + " bytes"));
        }
        // The request is released when handle() returns: copy the body now.
        byte[] body = new byte[size];
        request.content().getBytes(request.content().readerIndex(), body);
        return routes.route(info.method(), rawPath, new QueryStringDecoder(info.url()).parameters(), body);
    }

    private static ApiResponse failure(Throwable error, RequestInfo info, String rawPath) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RoomsException e) {
            return ApiResponse.error(e);
        }
        if (cause instanceof ClusterUnavailableException e) {
            return unavailable(e, info, rawPath);
        }
        log.debug("HTTP API {} {}: cluster query failed", info.method(), rawPath, cause);
        return ApiResponse.error(ErrorCode.UNAVAILABLE, "unavailable right now, try again");
    }

    /** The cluster bus is down: 503 {@code unavailable} (the adapter logs the outage once). */
    private static ApiResponse unavailable(ClusterUnavailableException e, RequestInfo info, String rawPath) {
        log.debug("HTTP API {} {}: cluster unavailable: {}", info.method(), rawPath, e.getMessage());
        return ApiResponse.error(ErrorCode.UNAVAILABLE, "the cluster is unavailable right now, try again");
    }

    private static CompletableFuture<ApiResponse> done(ApiResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private static void write(HttpReply reply, ApiResponse response) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(response.body());
        } catch (Exception e) {
            log.warn("HTTP API response could not be encoded", e);
            json = "{\"ok\":false,\"error\":{\"code\":\"unavailable\",\"message\":\"internal error\"}}"
                    .getBytes(StandardCharsets.UTF_8);
        }
        FullHttpResponse res = HttpReply.response(HttpResponseStatus.valueOf(response.status()),
                "application/json; charset=utf-8", Unpooled.wrappedBuffer(json));
        response.headers().forEach((name, value) -> res.headers().set(name, value));
        // After a 413 the rest of the oversize body may still be in flight: close rather than read it as a request.
        (response.status() == 413 ? reply.closing() : reply).send(res);
    }
}
