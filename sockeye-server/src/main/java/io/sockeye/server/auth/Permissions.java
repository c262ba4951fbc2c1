package io.sockeye.server.auth;

import io.sockeye.core.recovery.RoomHistorySizes;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Who may subscribe, publish and see presence in which room. Deny by default: an action is allowed
 * when
 * <ol>
 *   <li>the principal's token grants it (a pattern in the matching {@link RoomGrants} list matches the
 *       room, {@code {sub}} standing for the principal's own user id), <b>or</b></li>
 *   <li>the first {@link RoomRule} whose pattern matches the room allows it for this principal
 *       ({@link Access#ANYONE}; {@link Access#AUTHENTICATED} with a user id; {@link Access#OWNER} when the
 *       room matches the pattern with {@code {sub}} = the user id; never for {@link Access#NONE}). For
 *       finding the first match, {@code {sub}} in a rule pattern matches any user id, so
 *       {@code user:{sub}} covers every {@code user:*} room and nobody but the owner gets into another
 *       user's room through a later, broader rule.</li>
 * </ol>
 * {@code allowAnonymous} (the {@code --allow-anonymous} demo shortcut) acts as an implicit last rule
 * {@code *}: anyone may subscribe, publish and see presence, presence on; configured rules still decide
 * the rooms they match.
 *
 * <p>Presence is enabled in a room unless the first matching rule turns it off; whether a principal
 * may see it is {@link #canSeePresence}.
 *
 * <p>Immutable and thread-safe; patterns are compiled once.
 */
public final class Permissions {

    private record Compiled(RoomRule rule, Glob glob) {
    }

    private final List<Compiled> rules;
    private final boolean allowAnonymous;

    /**
     * @param rules          checked in order, the first match decides
     * @param allowAnonymous the demo shortcut described above
     */
    public Permissions(List<RoomRule> rules, boolean allowAnonymous) {
        List<Compiled> compiled = new ArrayList<>();
        for (RoomRule rule : rules == null ? List.<RoomRule>of() : rules) {
            compiled.add(new Compiled(rule, Glob.compile(rule.pattern())));
        }
        this.rules = List.copyOf(compiled);
        this.allowAnonymous = allowAnonymous;
    }

    /** The rules, in order. */
    public List<RoomRule> rules() {
        return rules.stream().map(Compiled::rule).toList();
    }

    /** Whether the demo shortcut is on. */
    public boolean anonymousAllowed() {
        return allowAnonymous;
    }

    /** What the grants and rules say about one action in one room. */
    public enum Decision {
        /** A grant or the first matching rule allows it. */
        ALLOW,
        /** The first matching rule denies it (and no grant allows it). */
        DENY,
        /** No grant allows it and no rule matches the room: only the demo shortcut, or a proxy, can allow it. */
        UNDECIDED
    }

    public boolean canSubscribe(Principal principal, String room) {
        return allowed(principal, room, principal.grants().subscribe(), RoomRule::subscribe);
    }

    public boolean canPublish(Principal principal, String room) {
        return allowed(principal, room, principal.grants().publish(), RoomRule::publish);
    }

    /** The static decision on a subscribe, before the demo shortcut: a subscribe proxy decides {@code UNDECIDED}. */
    public Decision subscribeDecision(Principal principal, String room) {
        return decide(principal, room, principal.grants().subscribe(), RoomRule::subscribe);
    }

    /** The static decision on a publish, before the demo shortcut: a publish proxy decides {@code UNDECIDED}. */
    public Decision publishDecision(Principal principal, String room) {
        return decide(principal, room, principal.grants().publish(), RoomRule::publish);
    }

    /** May the principal query the room's presence and receive its {@code presence:*} events. */
    public boolean canSeePresence(Principal principal, String room) {
        return allowed(principal, room, principal.grants().presence(), RoomRule::presence);
    }

    /** Whether presence is tracked and announced in this room. */
    public boolean presenceEnabled(String room) {
        Compiled rule = firstMatch(room);
        return rule == null || rule.rule().presenceEnabled();
    }

    /**
     * The messages {@code room} keeps for replay by the first matching rule's {@code history}, else
     * {@link RoomHistorySizes#DEFAULT} (the server's {@code history.size}); the core's per-room sizes.
     */
    public int historySize(String room) {
        Compiled rule = firstMatch(room);
        return rule == null || rule.rule().history() == null ? RoomHistorySizes.DEFAULT : rule.rule().history();
    }

    private boolean allowed(Principal principal, String room, List<String> granted, Function<RoomRule, Access> access) {
        Decision d = decide(principal, room, granted, access);
        return d == Decision.UNDECIDED ? allowAnonymous : d == Decision.ALLOW;
    }

    private Decision decide(Principal principal, String room, List<String> granted, Function<RoomRule, Access> access) {
        if (room == null) {
            return Decision.DENY;
        }
        String user = principal.userId();
        if (user != null) {
            for (String pattern : granted) {
                if (Glob.compile(pattern).matches(room, user)) {
                    return Decision.ALLOW;
                }
            }
        }
        Compiled rule = firstMatch(room);
        if (rule == null) {
            return Decision.UNDECIDED;
        }
        boolean allowed = switch (access.apply(rule.rule())) {
            case ANYONE -> true;
            case AUTHENTICATED -> user != null;
            case OWNER -> user != null && rule.glob().matches(room, user);
            case NONE -> false;
        };
        return allowed ? Decision.ALLOW : Decision.DENY;
    }

    private Compiled firstMatch(String room) {
        for (Compiled c : rules) {
            if (c.glob().matches(room)) {
                return c;
            }
        }
        return null;
    }
}
