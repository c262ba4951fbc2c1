package io.sockeye.server.auth;

import java.util.Objects;

/**
 * A configured permission rule for the rooms whose names match {@link #pattern()} (a {@link Glob}).
 * Rules are checked in order and the <em>first</em> whose pattern matches a room decides for it (see
 * {@link Permissions}).
 *
 * @param pattern         rooms this rule covers; may hold {@code {sub}} (needed by {@link Access#OWNER})
 * @param subscribe       who may subscribe
 * @param publish         who may publish
 * @param presence        who may query presence and receive presence events
 * @param presenceEnabled whether presence is tracked and announced in these rooms
 * @param history         messages kept per room for replay ({@code 0}: none, and none owed), or
 *                        {@code null} for the server's {@code history.size}
 */
public record RoomRule(String pattern, Access subscribe, Access publish, Access presence, boolean presenceEnabled,
                       Integer history) {

    public RoomRule {
        Glob glob = Glob.compile(pattern);
        Objects.requireNonNull(subscribe, "subscribe");
        Objects.requireNonNull(publish, "publish");
        Objects.requireNonNull(presence, "presence");
        boolean owner = subscribe == Access.OWNER || publish == Access.OWNER || presence == Access.OWNER;
        // "owner" means "the room named after you": without {sub} there is no owner to compare with.
        if (owner && !glob.hasSubPlaceholder()) {
            throw new IllegalArgumentException(
                    "room rule '" + pattern + "': access 'owner' needs a {sub} placeholder in the pattern, e.g. user:{sub}");
        }
        if (history != null && history < 0) {
            throw new IllegalArgumentException("room rule '" + pattern + "': history must be 0 or more: " + history);
        }
    }

    /** A rule with the server's history size. */
    public RoomRule(String pattern, Access subscribe, Access publish, Access presence, boolean presenceEnabled) {
        this(pattern, subscribe, publish, presence, presenceEnabled, null);
    }

    /** A rule that lets {@code access} subscribe, publish and see presence, with presence on. */
    public static RoomRule of(String pattern, Access access) {
        return new RoomRule(pattern, access, access, access, true);
    }
}
