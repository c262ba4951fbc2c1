package io.sockeye.server.auth;

import java.util.Locale;

/** Who a {@link RoomRule} lets do something in the rooms it matches. */
public enum Access {
    /** Every connection, anonymous ones included. */
    ANYONE,
    /** Connections that presented a valid token. */
    AUTHENTICATED,
    /**
     * The user the room belongs to: the rule's pattern has a {@code {sub}} placeholder (for example
     * {@code user:{sub}} or {@code private:{sub}:*}) and the room matches it with {@code {sub}} replaced
     * by the connection's user id.
     */
    OWNER,
    /** Nobody (token grants can still allow it). */
    NONE;

    /** Parses the configuration spelling: {@code anyone}, {@code authenticated}, {@code owner}, {@code none} (any case). */
    public static Access parse(String text) {
        if (text != null) {
            String t = text.trim().toUpperCase(Locale.ROOT);
            for (Access a : values()) {
                if (a.name().equals(t)) {
                    return a;
                }
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of anyone, authenticated, owner, none");
    }

    /** The configuration spelling, lower case. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
