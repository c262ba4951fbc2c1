package io.sockeye.server.sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaders;
import io.sockeye.core.recovery.RoomHistory;
import io.sockeye.core.recovery.StreamPosition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code GET /sse} asked for, checked by {@link SseEndpoint}: its rooms, its token, and where it
 * resumes ({@code Last-Event-ID}), plus the packets its {@link SseStream} sends on its behalf.
 *
 * @param rooms    the rooms, in the order given, without repeats
 * @param token    the JWT ({@code Authorization: Bearer}, else {@code ?token=}), or {@code null}
 * @param since    the well-formed offset to resume from, or {@code null}
 * @param resetAll a {@code Last-Event-ID} was given but the server keeps no history: nothing can be caught up
 * @param address  the client's address, for logs
 * @param history  the namespace's history (to compare offsets), or {@code null} without one
 * @param cors     the CORS headers of the stream's response (none for a same-origin page or a non-browser)
 */
record SseRequest(List<String> rooms, String token, String since, boolean resetAll, String address,
                  RoomHistory history, HttpHeaders cors) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether the stream resumes (it was given a {@code Last-Event-ID}). */
    boolean resuming() {
        return since != null || resetAll;
    }

    /** The Socket.IO CONNECT packet to namespace {@code /} with the token as {@code auth.token}. */
    String connectPacket() {
        return token == null ? "0" : "0" + json(Map.of("token", token));
    }

    /** {@code subscribe {room, since}} with ack id {@code index}, for the room at {@code index}. */
    String subscribePacket(int index) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("room", rooms.get(index));
        if (since != null) {
            request.put("since", since);
        }
        return "2" + index + json(List.of("subscribe", request));
    }

    /** The earlier of two offsets of this server. */
    String earliest(String a, String b) {
        return sequence(b) < sequence(a) ? b : a;
    }

    /** An offset's place in the stream (the sequence of its position), or -1 when it is none of this server's. */
    long sequence(String offset) {
        StreamPosition p = history == null ? null : history.parse(offset);
        return p == null ? -1 : p.sequence();
    }

    /**
     * The HTTP answer to a refusal: a CONNECT_ERROR's {@code {message, data}} ({@code connect}) or a
     * {@code subscribe} reply's {@code {ok: false, error: {code, message}}}.
     */
    static SseResponse.Refusal refusal(Object answer, boolean connect) {
        Map<?, ?> map = answer instanceof Map<?, ?> m ? m : Map.of();
        String code;
        String message;
        if (connect) {
            Map<?, ?> data = map.get("data") instanceof Map<?, ?> d ? d : Map.of();
            String said = String.valueOf(map.get("message"));
            code = data.get("code") instanceof String c ? c : said;
            message = data.get("reason") instanceof String r ? r : said;
        } else {
            Map<?, ?> error = map.get("error") instanceof Map<?, ?> e ? e : Map.of();
            code = String.valueOf(error.get("code"));
            message = String.valueOf(error.get("message"));
        }
        int status = switch (code) {
            case "unauthorized" -> 401;
            case "rate_limited" -> 429;
            case "invalid" -> 400;
            case "unavailable" -> 503;
            default -> 403;
        };
        return new SseResponse.Refusal(status, code, message);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
