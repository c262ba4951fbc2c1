package io.sockeye.server.sse;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sockeye.core.Parser;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.recovery.RoomHistory;
import io.sockeye.core.spi.transport.SessionIds;
import io.sockeye.netty.HandshakeFilter;
import io.sockeye.netty.Requests;
import io.sockeye.server.http.HttpFeature;
import io.sockeye.server.http.HttpRouter;
import io.sockeye.server.limits.RejectionReason;
import io.sockeye.server.limits.Stats;
import io.sockeye.server.rooms.ErrorCode;
import io.sockeye.server.rooms.Names;
import io.sockeye.server.rooms.RoomsException;
import io.sockeye.server.rooms.RoomsService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /sse?rooms=a,b}: a read-only subscription as Server-Sent Events (docs/sse.md). The request is
 * checked here — its rooms, its {@code Last-Event-ID}, the handshake rate limits — and then becomes an
 * {@link SseStream}: a session of the standalone namespace whose token, room permissions and connection
 * limits are those of any Socket.IO connection.
 */
public final class SseEndpoint implements HttpFeature {

    private static final Logger log = LoggerFactory.getLogger(SseEndpoint.class);

    /** The stream's path. */
    public static final String PATH = "/sse";
    /** The reconnection delay a stream asks browsers for ({@code retry:}), in milliseconds. */
    public static final long RETRY_MILLIS = 3000;

    private final SocketIoServer io;
    private final int maxRooms;
    private final HandshakeFilter filter;
    private final Stats stats;
    private final SseResponse response = new SseResponse(RETRY_MILLIS);

    /**
     * @param maxRooms the most rooms one stream may name ({@code max_rooms_per_connection})
     * @param filter   the handshake rate limits and the drain's refusal, as for Socket.IO handshakes
     */
    public SseEndpoint(SocketIoServer io, int maxRooms, HandshakeFilter filter, Stats stats) {
        this.io = io;
        this.maxRooms = maxRooms;
        this.filter = filter;
        this.stats = stats;
    }

    @Override
    public void registerRoutes(HttpRouter.Builder routes) {
        routes.exact(PATH, this::handle);
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request, RequestInfo info) {
        if (io.engine().options().parser() == Parser.MSGPACK) {
            SseResponse.refuse(ctx.channel(), new SseResponse.Refusal(404, "unavailable",
                    "Server-Sent Events need the json or auto parser"));
            return;
        }
        if (request.method() != HttpMethod.GET) {
            invalid(ctx, info, 405, "use GET");
            return;
        }
        List<String> rooms;
        try {
            rooms = rooms(info.queryParam("rooms"));
        } catch (RoomsException e) {
            invalid(ctx, info, 400, e.getMessage());
            return;
        }
        RoomHistory history = io.of("/").roomHistory();
        String lastEventId = lastEventId(info);
        String since = null;
        boolean resetAll = false;
        if (lastEventId != null) {
            if (history == null) {
                resetAll = true; // no history to resume from: a well-meant id, answered with a reset
            } else if (lastEventId.length() > RoomsService.MAX_OFFSET_LENGTH || history.parse(lastEventId) == null) {
                invalid(ctx, info, 400, "Last-Event-ID is not an offset of this server");
                return;
            } else {
                since = lastEventId;
            }
        }
        ServerOptions options = io.engine().options();
        String foreign = options.allowRequest() == null ? null : options.allowRequest().check(info);
        if (foreign != null) { // a page of an origin cors_origins does not list, as for a Socket.IO handshake
            stats.rejected(RejectionReason.FORBIDDEN);
            SseResponse.refuse(ctx.channel(), new SseResponse.Refusal(403, "forbidden", foreign));
            return;
        }
        HttpHeaders cors = new DefaultHttpHeaders();
        Requests.corsHeaders(options.cors(), info, cors);
        HandshakeFilter.Rejection rejection = filter == null ? null : filter.check(info);
        if (rejection != null) {
            reject(ctx, rejection);
            return;
        }
        SseRequest sse = new SseRequest(rooms, token(info), since, resetAll, info.remoteAddress(), history, cors);
        SseStream stream = new SseStream(ctx.channel(), sse, response);
        stream.bind(io.engine().openWebSocket(info, stream, SessionIds.next()));
    }

    /** The {@code rooms} parameter: 1 to {@code maxRooms} valid room names, comma-separated. */
    private List<String> rooms(String param) {
        if (param == null || param.isEmpty()) {
            throw new RoomsException(ErrorCode.INVALID, "name the rooms: ?rooms=a,b");
        }
        Set<String> rooms = new LinkedHashSet<>();
        for (String room : param.split(",", -1)) {
            rooms.add(Names.requireRoom(room));
        }
        if (rooms.size() > maxRooms) {
            throw new RoomsException(ErrorCode.INVALID,
                    "at most " + maxRooms + " rooms per stream");
        }
        return new ArrayList<>(rooms);
    }

    /** {@code Last-Event-ID} (a browser's reconnection), else {@code ?last_event_id=} (its first connection). */
    static String lastEventId(RequestInfo info) {
        String id = info.header("last-event-id");
        if (id == null || id.isEmpty()) {
            id = info.queryParam("last_event_id");
        }
        return id == null || id.isEmpty() ? null : id;
    }

    /** {@code Authorization: Bearer <JWT>}, else {@code ?token=}. */
    static String token(RequestInfo info) {
        String auth = info.header("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = auth.substring(7).trim();
            if (!token.isEmpty()) {
                return token;
            }
        }
        String token = info.queryParam("token");
        return token == null || token.isEmpty() ? null : token;
    }

    private void invalid(ChannelHandlerContext ctx, RequestInfo info, int status, String message) {
        stats.rejected(RejectionReason.INVALID);
        log.debug("refusing SSE request {} from {}: {}", info.url(), info.remoteAddress(), message);
        SseResponse.refuse(ctx.channel(), new SseResponse.Refusal(status, "invalid", message));
    }

    private static void reject(ChannelHandlerContext ctx, HandshakeFilter.Rejection r) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.copiedBuffer(r.jsonBody(), StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (r.retryAfterSeconds() > 0) {
            res.headers().setInt(HttpHeaderNames.RETRY_AFTER, r.retryAfterSeconds());
        }
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}
