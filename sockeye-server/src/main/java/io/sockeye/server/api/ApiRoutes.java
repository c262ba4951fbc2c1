package io.sockeye.server.api;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.sockeye.server.limits.Stats;
import io.sockeye.server.rooms.ErrorCode;
import io.sockeye.server.rooms.Names;
import io.sockeye.server.rooms.Presence;
import io.sockeye.server.rooms.Replies;
import io.sockeye.server.rooms.RoomCount;
import io.sockeye.server.rooms.RoomsException;
import io.sockeye.server.rooms.RoomsService;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The endpoints of the HTTP API, after authentication:
 * <ul>
 *   <li>{@code POST /api/publish {room, event, data}} → {@code {ok, id, offset}}: delivered like a client publish,
 *       with {@code meta.from: null};</li>
 *   <li>{@code POST /api/broadcast {rooms: [...], event, data}} → {@code {ok, ids}}: one publish per room, ids
 *       in the same order;</li>
 *   <li>{@code POST /api/disconnect {user} | {room}} → {@code {ok, count}};</li>
 *   <li>{@code GET /api/rooms} → {@code {ok, rooms: [{room, count}]}};</li>
 *   <li>{@code GET /api/rooms/{room}/presence} → the {@code presence} reply (the room may be
 *       percent-encoded; {@code /} in it may be left as is);</li>
 *   <li>{@code GET /api/rooms/{room}/history?since=&limit=} → the {@code history} reply;</li>
 *   <li>{@code GET /api/stats} → {@code {ok, connections, rooms, messagesIn, messagesOut, rejections}}.</li>
 * </ul>
 */
final class ApiRoutes {

    /** Most rooms one broadcast may name. */
    static final int MAX_BROADCAST_ROOMS = 1_000;

    private final RoomsService rooms;
    private final Stats stats;

    ApiRoutes(RoomsService rooms) {
        this.rooms = rooms;
        this.stats = rooms.stats();
    }

    CompletableFuture<ApiResponse> route(String method, String rawPath, Map<String, List<String>> query, byte[] body) {
        switch (rawPath) {
            case "/api/publish":
                return post(method) ? publish(object(body)) : notAllowed("POST");
            case "/api/broadcast":
                return post(method) ? done(broadcast(object(body))) : notAllowed("POST");
            case "/api/disconnect":
                return post(method) ? disconnect(object(body)) : notAllowed("POST");
            case "/api/rooms":
                return get(method) ? listRooms() : notAllowed("GET");
            case "/api/stats":
                return get(method) ? done(stats()) : notAllowed("GET");
            default:
                break;
        }
        String room = roomOf(rawPath, "/presence");
        if (room != null) {
            return get(method) ? presence(room) : notAllowed("GET");
        }
        room = roomOf(rawPath, "/history");
        if (room != null) {
            return get(method) ? history(room, query) : notAllowed("GET");
        }
        return done(ApiResponse.error(ErrorCode.NOT_FOUND, "no such endpoint: " + rawPath));
    }

    private CompletableFuture<ApiResponse> publish(Map<String, Object> request) {
        String room = Names.requireRoom(request.get("room"));
        String event = Names.requireEvent(request.get("event"));
        return rooms.publish(room, event, request.get("data"), null).reply().thenApply(ApiResponse::ok);
    }

    private ApiResponse broadcast(Map<String, Object> request) {
        if (!(request.get("rooms") instanceof List<?> list) || list.isEmpty() || list.size() > MAX_BROADCAST_ROOMS) {
            throw new RoomsException(ErrorCode.INVALID, "rooms must be an array of 1-" + MAX_BROADCAST_ROOMS + " room names");
        }
        List<String> names = new ArrayList<>(list.size());
        for (Object room : list) {
            names.add(Names.requireRoom(room)); // all valid before anything is sent
        }
        String event = Names.requireEvent(request.get("event"));
        Object data = request.get("data");
        List<String> ids = new ArrayList<>(names.size());
        RoomsException local = null;
        for (String room : names) {
            try {
                ids.add(rooms.publish(room, event, data, null).id());
            } catch (RoomsException e) {
                if (!(e.id() instanceof String id)) {
                    throw e;
                }
                ids.add(id); // delivered on this node only: keep going, report it once for all rooms
                local = e;
            }
        }
        if (local != null) {
            throw new RoomsException(local.code(), local.getMessage(), ids);
        }
        return ApiResponse.ok(Replies.ok("ids", ids));
    }

    private CompletableFuture<ApiResponse> disconnect(Map<String, Object> request) {
        Object user = request.get("user");
        Object room = request.get("room");
        if ((user == null) == (room == null)) {
            throw new RoomsException(ErrorCode.INVALID, "give exactly one of user or room");
        }
        CompletableFuture<Integer> count;
        if (user != null) {
            if (!(user instanceof String u) || u.isEmpty()) {
                throw new RoomsException(ErrorCode.INVALID, "user must be a non-empty string");
            }
            count = rooms.disconnectUser(u);
        } else {
            count = rooms.disconnectRoom(Names.requireRoom(room));
        }
        return count.thenApply(n -> ApiResponse.ok(Replies.ok("count", n)));
    }

    private CompletableFuture<ApiResponse> listRooms() {
        return rooms.rooms().thenApply(list -> {
            List<Map<String, Object>> out = new ArrayList<>(list.size());
            for (RoomCount r : list) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("room", r.room());
                entry.put("count", r.count());
                out.add(entry);
            }
            return ApiResponse.ok(Replies.ok("rooms", out));
        });
    }

    private CompletableFuture<ApiResponse> presence(String room) {
        Names.requireRoom(room);
        return rooms.presence(room).thenApply((Presence p) -> ApiResponse.ok(p.toReply()));
    }

    /** The room of {@code /api/rooms/{room}<suffix>} (percent-decoded), or null for another path. */
    private static String roomOf(String rawPath, String suffix) {
        String prefix = "/api/rooms/";
        if (rawPath.startsWith(prefix) && rawPath.endsWith(suffix) && rawPath.length() > prefix.length() + suffix.length()) {
            return QueryStringDecoder.decodeComponent(rawPath.substring(prefix.length(), rawPath.length() - suffix.length()));
        }
        return null;
    }

    /** {@code ?since=&limit=}: at most one of each; limit 1 to {@value RoomsService#MAX_HISTORY_LIMIT}. */
    private CompletableFuture<ApiResponse> history(String room, Map<String, List<String>> query) {
        String since = single(query, "since");
        String limitText = single(query, "limit");
        int limit = RoomsService.DEFAULT_HISTORY_LIMIT;
        if (limitText != null) {
            long n;
            try {
                n = Long.parseLong(limitText);
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 1 || n > RoomsService.MAX_HISTORY_LIMIT) {
                throw new RoomsException(ErrorCode.INVALID, "limit must be an integer from 1 to " + RoomsService.MAX_HISTORY_LIMIT);
            }
            limit = (int) n;
        }
        if (since != null && (since.isEmpty() || since.length() > RoomsService.MAX_OFFSET_LENGTH)) {
            throw new RoomsException(ErrorCode.INVALID, "since must be an offset string");
        }
        return rooms.history(room, since, limit).thenApply(ApiResponse::ok);
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new RoomsException(ErrorCode.INVALID, name + " given more than once");
        }
        return values.get(0);
    }

    private ApiResponse stats() {
        return ApiResponse.ok(Replies.ok(
                "connections", stats.connections(),
                "rooms", rooms.localRoomCount(),
                "messagesIn", stats.messagesIn(),
                "messagesOut", stats.messagesOut(),
                "rejections", stats.rejections()));
    }

    // ---- helpers --------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(byte[] body) {
        Object value;
        try {
            value = body.length == 0 ? null : HttpApi.JSON.readValue(body, Object.class);
        } catch (IOException e) {
            throw new RoomsException(ErrorCode.INVALID, "body is not valid JSON");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new RoomsException(ErrorCode.INVALID, "body must be a JSON object");
        }
        return (Map<String, Object>) map;
    }

    private static boolean post(String method) {
        return "POST".equals(method);
    }

    private static boolean get(String method) {
        return "GET".equals(method);
    }

    private static CompletableFuture<ApiResponse> notAllowed(String allowed) {
        return done(ApiResponse.error(ErrorCode.METHOD_NOT_ALLOWED, "use " + allowed).withHeader("Allow", allowed));
    }

    private static CompletableFuture<ApiResponse> done(ApiResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
