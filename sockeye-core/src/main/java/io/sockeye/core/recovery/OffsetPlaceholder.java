package io.sockeye.core.recovery;

import io.sockeye.protocol.socket.EncodedPacket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for a broadcast's offset <em>inside</em> its arguments, e.g. in a {@code meta} object
 * ({@code {"id": "m1", "offset": OffsetPlaceholder.VALUE}}): the emitter cannot know the offset, which is
 * assigned when the broadcast is positioned (on a shared store, inside the store). The Socket.IO layer
 * replaces every string argument value equal to {@link #VALUE} (at any depth) by the broadcast's offset
 * where it appends the trailing offset — once per broadcast, in its encoding and in the packet outgoing
 * listeners see — and again when it replays a history entry (a no-op when the store kept the replaced
 * text).
 *
 * <p>For stores: an entry's packet may keep the placeholder (a store that positions inside itself, e.g.
 * by a script, need not splice it); the placeholder has the length of a standard offset
 * ({@value OffsetFormat#STANDARD_LENGTH} characters) and contains no character JSON escapes, so a store
 * that wants to can splice it in place like the trailing offset. Without recovery the placeholder is
 * sent as it is: emit it only where the namespace has a history.
 */
public final class OffsetPlaceholder {

    /** The placeholder string: {@value}. */
    public static final String VALUE = "<<sockeye:offset:pending>";
    private static final String QUOTED = '"' + VALUE + '"';

    private OffsetPlaceholder() {
    }

    /** Whether an encoded packet's text holds the placeholder as a string value. */
    public static boolean in(String text) {
        return text.contains(QUOTED);
    }

    /** {@code text} with every quoted placeholder replaced by {@code offset} (JSON-safe ASCII, checked by the caller). */
    public static String resolve(String text, String offset) {
        return in(text) ? text.replace(QUOTED, '"' + offset + '"') : text;
    }

    /** {@code packet} with the placeholder replaced by {@code offset} in its text. */
    public static EncodedPacket resolve(EncodedPacket packet, String offset) {
        String text = packet.text();
        String resolved = resolve(text, offset);
        return resolved == text ? packet : new EncodedPacket(resolved, packet.attachments());
    }

    /**
     * {@code value} with every string equal to the placeholder replaced by {@code offset}: maps and lists
     * holding it are copied, everything else is returned as it is.
     */
    public static Object resolve(Object value, String offset) {
        if (VALUE.equals(value)) {
            return offset;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = null;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object resolved = resolve(e.getValue(), offset);
                if (resolved != e.getValue() && out == null) {
                    out = new LinkedHashMap<>(map);
                }
                if (out != null) {
                    out.put(e.getKey(), resolved);
                }
            }
            return out == null ? value : out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = null;
            for (int i = 0, n = list.size(); i < n; i++) {
                Object item = list.get(i);
                Object resolved = resolve(item, offset);
                if (resolved != item && out == null) {
                    out = new ArrayList<>(list);
                }
                if (out != null) {
                    out.set(i, resolved);
                }
            }
            return out == null ? value : out;
        }
        return value;
    }
}
