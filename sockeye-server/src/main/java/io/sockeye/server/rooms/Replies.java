package io.sockeye.server.rooms;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one reply object of every request (docs/client-protocol.md): {@code {ok: true, ...}} or
 * {@code {ok: false, error: {code, message}}}. Maps keep insertion order so the JSON reads naturally.
 */
public final class Replies {

    private Replies() {
    }

    /** {@code {ok: true}} followed by {@code keyValues} (name, value, name, value...). */
    public static Map<String, Object> ok(Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("ok", true);
        for (int i = 0; i < keyValues.length; i += 2) {
            reply.put((String) keyValues[i], keyValues[i + 1]);
        }
        return reply;
    }

    /** A subscribe's answer: {@code {ok, room, data?, recovered?, offset}} (data and recovered when not null). */
    static Map<String, Object> subscribed(String room, Object data, Boolean recovered, String offset) {
        Map<String, Object> reply = ok("room", room);
        if (data != null) {
            reply.put("data", data);
        }
        if (recovered != null) {
            reply.put("recovered", recovered);
        }
        reply.put("offset", offset);
        return reply;
    }

    public static Map<String, Object> error(ErrorCode code, String message) {
        return error(code.code(), message);
    }

    /** An error with a code of the protocol's or of a backend's ({@link BackendRefusal}). */
    public static Map<String, Object> error(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("ok", false);
        reply.put("error", error);
        return reply;
    }

    public static Map<String, Object> error(RoomsException e) {
        Map<String, Object> reply = error(e.code(), e.getMessage());
        if (e.id() != null) {
            reply.put(e.id() instanceof java.util.List<?> ? "ids" : "id", e.id());
        }
        return reply;
    }
}
