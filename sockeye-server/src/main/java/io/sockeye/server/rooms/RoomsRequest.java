package io.sockeye.server.rooms;

import io.sockeye.core.Args;

import java.util.Map;

/**
 * One client request of the rooms protocol, read from the event's arguments as the core decoded them
 * (maps, lists, strings, numbers, booleans, {@code null}, {@code byte[]}): everything about its shape
 * is checked here, before it touches any state, so that {@link #parse} is the whole surface a hostile
 * payload meets. A request of the wrong shape is a {@link RoomsException} ({@code invalid}, or
 * {@code too_large} for a publish's data).
 */
sealed interface RoomsRequest {

    /** The room the request is about; {@code null} for {@code refresh}. */
    default String room() {
        return null;
    }

    /** The most messages one {@code history} request answers. */
    int MAX_HISTORY_LIMIT = 1000;
    /** The messages a {@code history} request without {@code limit} answers. */
    int DEFAULT_HISTORY_LIMIT = 100;
    /** Longer {@code since} values are refused without parsing. */
    int MAX_OFFSET_LENGTH = 64;

    /**
     * {@code subscribe(room)} or {@code subscribe({room, data?, since?})}; {@code data} goes to the subscribe
     * proxy, {@code since} (null without one) asks for the room's messages after that offset first.
     */
    record Subscribe(String room, Object data, String since) implements RoomsRequest {
    }

    /** {@code history({room, since?, limit?})}. */
    record History(String room, String since, int limit) implements RoomsRequest {
    }

    /** {@code unsubscribe(room)}. */
    record Unsubscribe(String room) implements RoomsRequest {
    }

    /** {@code publish({room, event, data})}. */
    record Publish(String room, String event, Object data) implements RoomsRequest {
    }

    /** {@code presence(room)}. */
    record PresenceQuery(String room) implements RoomsRequest {
    }

    /** {@code refresh({token})}. */
    record Refresh(String token) implements RoomsRequest {
    }

    /** {@code rpc({method, data})}: a call to the application's backend. */
    record Rpc(String method, Object data) implements RoomsRequest {
    }

    /** Longest rpc method name. */
    int MAX_METHOD_LENGTH = 200;

    /**
     * Reads request {@code event} ({@link ClientRequests#REQUESTS}) from {@code args}.
     *
     * @param maxPayloadBytes the largest publish data ({@code limits.max_payload_bytes})
     * @throws RoomsException {@code invalid} or {@code too_large}
     * @throws IllegalArgumentException for an event that is not a request (a bug of the caller)
     */
    static RoomsRequest parse(String event, Args args, int maxPayloadBytes) {
        Object first = args.isEmpty() ? null : args.get(0);
        return switch (event) {
            case "subscribe" -> subscribe(first, maxPayloadBytes);
            case "history" -> history(first);
            case "unsubscribe" -> new Unsubscribe(Names.requireRoom(first));
            case "presence" -> new PresenceQuery(Names.requireRoom(first));
            case "publish" -> publish(first, maxPayloadBytes);
            case "refresh" -> {
                if (!(first instanceof Map<?, ?> request) || !(request.get("token") instanceof String token)
                        || token.isEmpty()) {
                    throw new RoomsException(ErrorCode.INVALID, "refresh takes one object {token}");
                }
                yield new Refresh(token);
            }
            case "rpc" -> rpc(first, maxPayloadBytes);
            default -> throw new IllegalArgumentException("not a request: " + event);
        };
    }

    private static Subscribe subscribe(Object first, int maxPayloadBytes) {
        if (first instanceof Map<?, ?> request) {
            Object data = request.get("data");
            if (PayloadSize.exceeds(data, maxPayloadBytes)) {
                throw new RoomsException(ErrorCode.TOO_LARGE, "data is larger than " + maxPayloadBytes + " bytes");
            }
            return new Subscribe(Names.requireRoom(request.get("room")), data, since(request));
        }
        return new Subscribe(Names.requireRoom(first), null, null);
    }

    private static Rpc rpc(Object first, int maxPayloadBytes) {
        if (!(first instanceof Map<?, ?> request) || !(request.get("method") instanceof String method)
                || method.isEmpty() || method.length() > MAX_METHOD_LENGTH) {
            throw new RoomsException(ErrorCode.INVALID, "rpc takes one object {method, data}; method: 1-"
                    + MAX_METHOD_LENGTH + " characters");
        }
        Object data = request.get("data");
        if (PayloadSize.exceeds(data, maxPayloadBytes)) {
            throw new RoomsException(ErrorCode.TOO_LARGE, "data is larger than " + maxPayloadBytes + " bytes");
        }
        return new Rpc(method, data);
    }

    private static History history(Object first) {
        if (!(first instanceof Map<?, ?> request)) {
            throw new RoomsException(ErrorCode.INVALID, "history takes one object {room, since?, limit?}");
        }
        String room = Names.requireRoom(request.get("room"));
        Object limit = request.get("limit");
        int n = DEFAULT_HISTORY_LIMIT;
        if (limit != null) {
            if (!(limit instanceof Integer || limit instanceof Long) || ((Number) limit).longValue() < 1
                    || ((Number) limit).longValue() > MAX_HISTORY_LIMIT) {
                throw new RoomsException(ErrorCode.INVALID, "limit must be an integer from 1 to " + MAX_HISTORY_LIMIT);
            }
            n = ((Number) limit).intValue();
        }
        return new History(room, since(request), n);
    }

    /** The request's {@code since}: absent/null, or a string of offset length (its format is checked later). */
    private static String since(Map<?, ?> request) {
        Object since = request.get("since");
        if (since == null) {
            return null;
        }
        if (!(since instanceof String s) || s.isEmpty() || s.length() > MAX_OFFSET_LENGTH) {
            throw new RoomsException(ErrorCode.INVALID, "since must be an offset string");
        }
        return s;
    }

    private static Publish publish(Object first, int maxPayloadBytes) {
        if (!(first instanceof Map<?, ?> request)) {
            throw new RoomsException(ErrorCode.INVALID, "publish takes one object {room, event, data}");
        }
        String room = Names.requireRoom(request.get("room"));
        String event = Names.requireEvent(request.get("event"));
        Object data = request.get("data");
        if (PayloadSize.exceeds(data, maxPayloadBytes)) {
            throw new RoomsException(ErrorCode.TOO_LARGE, "data is larger than " + maxPayloadBytes + " bytes");
        }
        return new Publish(room, event, data);
    }
}
