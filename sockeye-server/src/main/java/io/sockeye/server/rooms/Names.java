package io.sockeye.server.rooms;

import java.util.Set;

/**
 * What a room name and a published event name may be (issue 3 §2).
 */
public final class Names {

    /** Longest room name. */
    public static final int MAX_ROOM_LENGTH = 200;
    /** Longest event name a publish may use. */
    public static final int MAX_EVENT_LENGTH = 200;
    /** Prefix of the server's own events ({@code sockeye:error}); reserved like {@code presence:}. */
    public static final String SERVER_EVENT_PREFIX = "sockeye:";

    // Socket.IO's own reserved names plus this protocol's requests.
    private static final Set<String> RESERVED_EVENTS = Set.of(
            "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
            "subscribe", "unsubscribe", "publish", "presence", "refresh");

    private Names() {
    }

    /** "Room names: 1–200 characters of {@code A-Z a-z 0-9 : _ - . @ /}; anything else is invalid." */
    public static boolean isValidRoom(Object room) {
        if (!(room instanceof String s) || s.isEmpty() || s.length() > MAX_ROOM_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == ':' || c == '_' || c == '-' || c == '.' || c == '@' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The room, or {@link RoomsException} {@code invalid}. */
    public static String requireRoom(Object room) {
        if (!isValidRoom(room)) {
            throw new RoomsException(ErrorCode.INVALID,
                    "room must be 1-200 characters of A-Z a-z 0-9 : _ - . @ /");
        }
        return (String) room;
    }

    /**
     * "Reserved event names (the protocol's own and this protocol's: subscribe, unsubscribe, publish,
     * presence, refresh, names starting with presence:) are rejected with invalid"; so are the server's
     * own {@code sockeye:} events, empty names and names over 200 characters.
     */
    public static String requireEvent(Object event) {
        if (!(event instanceof String s) || s.isEmpty() || s.length() > MAX_EVENT_LENGTH) {
            throw new RoomsException(ErrorCode.INVALID, "event must be a string of 1-200 characters");
        }
        if (RESERVED_EVENTS.contains(s) || s.startsWith("presence:") || s.startsWith(SERVER_EVENT_PREFIX)) {
            throw new RoomsException(ErrorCode.INVALID, "event name '" + s + "' is reserved");
        }
        return s;
    }

    /** The personal room of a user, joined by each of its connections. */
    public static String personalRoom(String user) {
        return "user:" + user;
    }

    /**
     * The hidden Socket.IO room of the connections that receive a room's presence events. {@code #} is
     * not allowed in room names, so no client can subscribe to it.
     */
    static String presenceWatchers(String room) {
        return "presence#" + room;
    }

    /** Whether a Socket.IO room is one of the server's hidden rooms (never listed). */
    static boolean isHidden(String socketIoRoom) {
        return socketIoRoom.indexOf('#') >= 0;
    }
}
