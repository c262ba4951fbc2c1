package io.sockeye.bench.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Engine.IO open packet a server sends first ({@code 0{"sid":…,"pingInterval":…}}), read once per
 * connection, so plain Jackson is cheap enough here.
 */
public record OpenPacket(String sid, long pingIntervalMs, long pingTimeoutMs, long maxPayload) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses the text of an open packet, type digit included; throws IllegalArgumentException if malformed. */
    public static OpenPacket parse(String frame) {
        if (frame.isEmpty() || frame.charAt(0) != Frames.EIO_OPEN) {
            throw new IllegalArgumentException("not an open packet: " + abbreviate(frame));
        }
        JsonNode json;
        try {
            json = JSON.readTree(frame.substring(1));
        } catch (Exception e) {
            throw new IllegalArgumentException("open packet is not JSON: " + abbreviate(frame), e);
        }
        if (json == null || !json.path("sid").isTextual() || !json.path("pingInterval").canConvertToLong()) {
            throw new IllegalArgumentException("open packet lacks sid or pingInterval: " + abbreviate(frame));
        }
        return new OpenPacket(json.get("sid").asText(), json.get("pingInterval").asLong(),
                json.path("pingTimeout").asLong(-1), json.path("maxPayload").asLong(-1));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
