package io.sockeye.server.gateway.forward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client event on its way to a broker: a {@code publish} to a room or an {@code rpc} call. Every broker
 * receives the same JSON ({@link #json()}); binary values inside {@code data} become base64 strings.
 *
 * @param type   {@code publish} or {@code rpc}
 * @param room   the room of a publish, else {@code null}
 * @param event  the event name of a publish, else {@code null}
 * @param method the method of an rpc, else {@code null}
 * @param data   the client's data (after the publish proxy, when one replaced it)
 * @param id     the message id (a publish's {@code meta.id}), unique per event: a consumer's de-duplication key
 * @param user   the user id, or {@code null} when anonymous
 * @param client the connection id
 * @param meta   the connect backend's private {@code meta}, or {@code null}
 * @param ts     when the gateway received it, epoch milliseconds
 */
public record ForwardedEvent(String type, String room, String event, String method, Object data, String id,
                             String user, String client, Object meta, long ts) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ForwardedEvent publish(String room, String event, Object data, String id, String user,
                                         String client, Object meta, long ts) {
        return new ForwardedEvent("publish", room, event, null, data, id, user, client, meta, ts);
    }

    public static ForwardedEvent rpc(String method, Object data, String id, String user, String client, Object meta,
                                     long ts) {
        return new ForwardedEvent("rpc", null, null, method, data, id, user, client, meta, ts);
    }

    /** The routing key: the room of a publish, the method of an rpc. */
    public String key() {
        return room != null ? room : method;
    }

    /** {@code {type, room, event, data, id, user, client, meta, ts}} (or {@code method} for an rpc). */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        if (room != null) {
            m.put("room", room);
            m.put("event", event);
        } else {
            m.put("method", method);
        }
        m.put("data", data);
        m.put("id", id);
        m.put("user", user);
        m.put("client", client);
        m.put("meta", meta);
        m.put("ts", ts);
        return m;
    }

    public byte[] json() {
        try {
            return JSON.writeValueAsBytes(fields());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data not serializable", e);
        }
    }

    /** A value as JSON text (Redis stream fields hold text). */
    static String jsonText(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data not serializable", e);
        }
    }
}
