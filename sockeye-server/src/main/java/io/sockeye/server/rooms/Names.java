package io.sockeye.server.rooms;

import java.util.Set;

/**
 * What a room name and a published event name may be, and the names of the rooms the server keeps for
 * itself: each connection's own room (its socket id, refused by shape), the personal rooms
 * {@code user:<sub>} (ordinary rooms that rules and grants govern) and the presence watchers'
 * {@code presence#<room>} (a character no room name may hold).
 */
public final class Names {

    /** Longest room name. */
    public static final int MAX_ROOM_LENGTH = 200;
    /** Longest event name a publish may use. */
    public static final int MAX_EVENT_LENGTH = 200;
    /** Length of a socket id: 15 random bytes in base64url. */
    static final int SOCKET_ID_LENGTH = 20;
    /** Prefix of the server's own events ({@code sockeye:error}); reserved like {@code presence:}. */
    public static final String SERVER_EVENT_PREFIX = "sockeye:";

    // Socket.IO's own reserved names plus this protocol's requests.
    private static final Set<String> RESERVED_EVENTS = Set.of(
            "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
            "subscribe", "unsubscribe", "publish", "presence", "refresh", "rpc", "history");

    private Names() {
    }

    /**
     * "Room names: 1–200 characters of {@code A-Z a-z 0-9 : _ - . @ /}; anything else is invalid", and not
     * of the shape of a socket id ({@link #isSocketIdShaped}).
     */
    public static boolean isValidRoom(Object room) {
        return hasRoomCharacters(room) && !isSocketIdShaped((String) room);
    }

    private static boolean hasRoomCharacters(Object room) {
        if (!(room instanceof String s) || s.isEmpty() || s.length() > MAX_ROOM_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = isBase64Url(c) || c == ':' || c == '.' || c == '@' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a name has the shape of a Socket.IO socket id: exactly {@value #SOCKET_ID_LENGTH} characters
     * of the base64url alphabet {@code A-Z a-z 0-9 _ -} (Sockeye's ids, and socket.io's). Each connection
     * is in the Socket.IO room named by its id, on whichever node of the cluster it is; the rooms
     * protocol refuses every such name, so that no client or API call can subscribe to another
     * connection's own room or publish into it, whatever the rules grant.
     */
    public static boolean isSocketIdShaped(String name) {
        if (name.length() != SOCKET_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isBase64Url(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** The room, or {@link RoomsException} {@code invalid}. */
    public static String requireRoom(Object room) {
        if (!hasRoomCharacters(room)) {
            throw new RoomsException(ErrorCode.INVALID,
                    "room must be 1-200 characters of A-Z a-z 0-9 : _ - . @ /");
        }
        if (isSocketIdShaped((String) room)) {
            throw new RoomsException(ErrorCode.INVALID, "room names of 20 characters of A-Z a-z 0-9 _ - alone are"
                    + " reserved: they are the connections' own rooms (socket ids)");
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
