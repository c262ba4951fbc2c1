package io.sockeye.core.internal.socket;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Checks and packet data shared by every emitting API. */
final class Emits {

    /** "These strings must not be used as event names, as they have a special meaning." (socket.io) */
    static final Set<String> RESERVED_EVENTS = Set.of(
            "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private Emits() {
    }

    static void checkEventName(String event) {
        Objects.requireNonNull(event, "event");
        if (RESERVED_EVENTS.contains(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
        }
    }

    /** {@code [event, ...args]}, the data of an EVENT packet. */
    static List<Object> eventData(String event, Object[] args) {
        checkEventName(event);
        List<Object> data = new ArrayList<>(1 + (args == null ? 0 : args.length));
        data.add(event);
        if (args != null) {
            Collections.addAll(data, args);
        }
        return data;
    }

    /** The args of an ACK packet; {@code null} varargs (an explicit {@code send((Object[]) null)}) is none. */
    static List<Object> ackData(Object[] args) {
        List<Object> data = new ArrayList<>(args == null ? 0 : args.length);
        if (args != null) {
            Collections.addAll(data, args);
        }
        return data;
    }

    /** The event name of a received EVENT: a string, or a number (which socket.io also accepts). */
    static String eventName(Object first) {
        if (first instanceof String s) {
            return s;
        }
        if (first instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue()); // JavaScript prints 1.0 as "1"
        }
        return String.valueOf(first);
    }
}
