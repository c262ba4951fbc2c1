package io.sockeye.server.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rooms a token allows, as {@link Glob} patterns, from its claim
 * {@code rooms: {subscribe: [...], publish: [...], presence: [...]}}. A missing list is empty. Patterns may
 * use {@code {sub}}, which stands for the token's own subject (so {@code "user:{sub}:*"} grants only the
 * bearer's rooms).
 */
public record RoomGrants(List<String> subscribe, List<String> publish, List<String> presence) {

    private static final RoomGrants NONE = new RoomGrants(List.of(), List.of(), List.of());

    public RoomGrants {
        subscribe = subscribe == null ? List.of() : List.copyOf(subscribe);
        publish = publish == null ? List.of() : List.copyOf(publish);
        presence = presence == null ? List.of() : List.copyOf(presence);
    }

    /** No grants at all. */
    public static RoomGrants none() {
        return NONE;
    }

    /** True when no list holds a pattern. */
    public boolean isEmpty() {
        return subscribe.isEmpty() && publish.isEmpty() && presence.isEmpty();
    }

    /**
     * Reads the value of a token's {@code rooms} claim: {@code null} (no claim) gives {@link #none()};
     * otherwise it must be an object whose {@code subscribe}, {@code publish} and {@code presence}
     * members, when present, are arrays of strings.
     *
     * @throws IllegalArgumentException if the claim has another shape
     */
    public static RoomGrants fromClaim(Object rooms) {
        if (rooms == null) {
            return NONE;
        }
        if (!(rooms instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("rooms claim must be an object");
        }
        return new RoomGrants(patterns(map, "subscribe"), patterns(map, "publish"), patterns(map, "presence"));
    }

    private static List<String> patterns(Map<?, ?> rooms, String key) {
        Object value = rooms.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("rooms." + key + " must be an array of strings");
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s) || s.isEmpty()) {
                throw new IllegalArgumentException("rooms." + key + " must be an array of strings");
            }
            out.add(s);
        }
        return out;
    }
}
