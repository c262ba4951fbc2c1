package io.sockeye.protocol.socket;

import io.sockeye.protocol.ProtocolException;

import java.util.List;
import java.util.Set;

/** The rule every Socket.IO packet decoder applies to the data of a received EVENT, whatever its parser. */
public final class EventNames {

    /** "These strings must not be used as event names, as they have a special meaning." */
    public static final Set<String> RESERVED = Set.of(
            "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private EventNames() {
    }

    /** "EVENT: non-empty array; first element string (not reserved) or number". */
    public static void check(List<?> args) {
        if (args.isEmpty()) {
            throw new ProtocolException("invalid payload: EVENT needs a non-empty array");
        }
        Object name = args.get(0);
        if (name instanceof String s) {
            if (RESERVED.contains(s)) {
                throw new ProtocolException("invalid payload: reserved event name '" + s + "'");
            }
        } else if (!(name instanceof Number)) {
            throw new ProtocolException("invalid payload: the event name must be a string or a number");
        }
    }
}
