package io.sockeye.bench.generator;

/**
 * The one message shape every scenario and every server sees: {@code {"room":"r","t":<epoch nanos>,"p":"xx…"}},
 * padded so the JSON object is {@code size} bytes long (never shorter than its fields need). Servers
 * decode it and encode it again as users' handlers would; the generator only scans it for {@code "t"}.
 */
public final class Payloads {

    private final String room;
    private final int size;

    public Payloads(String room, int size) {
        this.room = room;
        this.size = size;
    }

    public String json(long epochNanos) {
        StringBuilder sb = new StringBuilder(Math.max(size, 64));
        sb.append("{\"room\":").append(Frames.jsonString(room)).append(",\"t\":").append(epochNanos).append(",\"p\":\"");
        int padding = size - sb.length() - 2;
        for (int i = 0; i < padding; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.append("\"}").toString();
    }
}
