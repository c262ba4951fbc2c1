package io.sockeye.bench.generator;

/**
 * The one message shape every scenario and every server sees: {@code {"room":"r","t":<epoch nanos>,"p":"xx…"}},
 * padded so the JSON object is {@code size} bytes long (never shorter than its fields need). Servers
 * decode it and encode it again as users' handlers would; the generator only scans it for {@code "t"}.
 */
public final class Payloads {

    private final String room;
    private final int size;
    private final String event;
    private final String wrapPrefix;

    public Payloads(String room, int size) {
        this(room, size, "echo", null);
    }

    private Payloads(String room, int size, String event, String wrapPrefix) {
        this.room = room;
        this.size = size;
        this.event = event;
        this.wrapPrefix = wrapPrefix;
    }

    /**
     * The closed-loop request of the standalone server's gateway benchmark: {@code rpc({method, data})} or a
     * {@code publish({room, event, data})} to {@code room}, {@code data} being the usual padded object.
     */
    public static Payloads request(String event, String room, int size) {
        String prefix = switch (event) {
            case "rpc" -> "{\"method\":\"bench\",\"data\":";
            case "publish" -> "{\"room\":" + Frames.jsonString(room) + ",\"event\":\"bench\",\"data\":";
            default -> throw new IllegalArgumentException("no request event " + event);
        };
        return new Payloads(room, size, event, prefix);
    }

    /** The event name the closed loop sends ({@code echo} unless {@link #request}). */
    public String event() {
        return event;
    }

    public String json(long epochNanos) {
        StringBuilder sb = new StringBuilder(Math.max(size, 64));
        sb.append("{\"room\":").append(Frames.jsonString(room)).append(",\"t\":").append(epochNanos).append(",\"p\":\"");
        sb.append(padding(size - sb.length() - 2)).append("\"}");
        return wrapPrefix == null ? sb.toString() : wrapPrefix + sb + "}";
    }

    /**
     * The same message as a map for the msgpack parser, {@code p} padded as in {@link #json} so both formats carry
     * the same content (the msgpack packet comes out shorter: no quotes, an 8-byte {@code t}).
     */
    public java.util.Map<String, Object> map(long epochNanos) {
        if (wrapPrefix != null) {
            throw new UnsupportedOperationException("the standalone server's requests are JSON only");
        }
        String head = "{\"room\":" + Frames.jsonString(room) + ",\"t\":" + epochNanos + ",\"p\":\"";
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("room", room);
        m.put("t", epochNanos);
        m.put("p", padding(size - head.length() - 2));
        return m;
    }

    private static String padding(int length) {
        StringBuilder sb = new StringBuilder(Math.max(0, length));
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.toString();
    }
}
