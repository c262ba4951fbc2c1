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
        int padding = size - sb.length() - 2;
        for (int i = 0; i < padding; i++) {
            sb.append((char) ('a' + i % 26));
        }
        sb.append("\"}");
        return wrapPrefix == null ? sb.toString() : wrapPrefix + sb + "}";
    }
}
