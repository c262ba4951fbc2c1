package io.sockeye.core.internal.socket;

import io.sockeye.core.Handshake;
import io.sockeye.core.RequestInfo;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/** Builds {@link Handshake}s in socket.io's shape, and reads them back from a cluster peer's JSON. */
final class Handshakes {

    // JavaScript's Date.prototype.toString(): "Tue Mar 05 2024 10:15:30 GMT+0100 (Central European Standard Time)"
    private static final DateTimeFormatter JS_DATE =
            DateTimeFormatter.ofPattern("EEE MMM dd yyyy HH:mm:ss 'GMT'xx", Locale.US);

    private Handshakes() {
    }

    // The last formatted second, shared by every handshake of that second: the string lives as long as
    // the socket, and sockets connect in bursts.
    private record FormattedSecond(long second, ZoneId zone, String text) {
    }

    private static volatile FormattedSecond lastSecond;

    static Handshake create(RequestInfo request, Map<String, Object> auth, long nowMillis) {
        return new Handshake(request.headers(), time(nowMillis, ZoneId.systemDefault()),
                request.remoteAddress(), request.origin() != null, request.secure(), nowMillis,
                request.url(), request.query(), auth);
    }

    private static String time(long epochMillis, ZoneId zone) {
        long second = Math.floorDiv(epochMillis, 1000);
        FormattedSecond last = lastSecond;
        if (last == null || last.second != second || !last.zone.equals(zone)) {
            last = new FormattedSecond(second, zone, jsDate(epochMillis, zone));
            lastSecond = last;
        }
        return last.text;
    }

    static String jsDate(long epochMillis, ZoneId zone) {
        ZonedDateTime time = Instant.ofEpochMilli(epochMillis).atZone(zone);
        TimeZone tz = TimeZone.getTimeZone(zone);
        boolean summer = tz.inDaylightTime(java.util.Date.from(time.toInstant()));
        return JS_DATE.format(time) + " (" + tz.getDisplayName(summer, TimeZone.LONG, Locale.US) + ")";
    }

    /**
     * A handshake as it came from {@code fetchSockets}: our own record for a local socket, a JSON map
     * for a socket of another node (possibly a Node.js one), or {@code null}.
     */
    @SuppressWarnings("unchecked")
    static Handshake fromWire(Object value) {
        if (value instanceof Handshake handshake) {
            return handshake;
        }
        if (!(value instanceof Map<?, ?> map)) {
            return new Handshake(Map.of(), "", "", false, false, 0, "", Map.of(), Map.of());
        }
        Object issued = map.get("issued");
        Object auth = map.get("auth");
        return new Handshake(strings(map.get("headers")), string(map.get("time")), string(map.get("address")),
                Boolean.TRUE.equals(map.get("xdomain")), Boolean.TRUE.equals(map.get("secure")),
                issued instanceof Number n ? n.longValue() : 0, string(map.get("url")), strings(map.get("query")),
                auth instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of());
    }

    private static String string(Object value) {
        return value == null ? "" : value.toString();
    }

    // Node joins repeated headers into arrays for some names; keep them readable as one string.
    private static Map<String, String> strings(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    out.put(k.toString(), v instanceof Iterable<?> list ? String.join(", ", strs(list)) : v.toString());
                }
            });
        }
        return out;
    }

    private static Iterable<String> strs(Iterable<?> list) {
        java.util.List<String> out = new java.util.ArrayList<>();
        list.forEach(v -> out.add(String.valueOf(v)));
        return out;
    }
}
