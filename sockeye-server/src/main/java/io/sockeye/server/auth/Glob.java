package io.sockeye.server.auth;

import java.util.Arrays;

/**
 * A room-name pattern, as used by {@link RoomRule} patterns and token {@link RoomGrants}.
 *
 * <p>Syntax, matched against the whole room name, case-sensitively:
 * <ul>
 *   <li>{@code *} matches any run of characters, including none and including {@code :} and
 *       {@code /} (so {@code chat:*} matches {@code chat:}, {@code chat:lobby} and {@code chat:a:b});</li>
 *   <li>{@code ?} matches exactly one character;</li>
 *   <li>{@code {sub}} stands for a user id: with {@link #matches(String, String)} it matches exactly that
 *       id, character for character (an id holding {@code *} or {@code ?} is not a wildcard); with
 *       {@link #matches(String)} it matches any run of one or more characters;</li>
 *   <li>every other character matches itself. There is no escape character: room names cannot hold
 *       {@code *}, {@code ?}, <code>{</code> or <code>}</code>.</li>
 * </ul>
 * Examples: {@code *} matches every room; {@code news:?} matches {@code news:1} but not {@code news:12};
 * {@code user:{sub}} bound to {@code alice} matches only {@code user:alice}.
 *
 * <p>Immutable and thread-safe. Matching is linear in practice (greedy with one backtrack point per
 * {@code *}), and room names are at most 200 characters.
 */
public final class Glob {

    /** The placeholder for the user id. */
    public static final String SUB = "{sub}";

    // Compiled elements: a char (>= 0) matches itself; the negative codes below are wildcards.
    private static final int ANY = -1;
    private static final int ONE = -2;
    private static final int USER = -3;

    private final String pattern;
    private final int[] elements;
    private final boolean hasSub;

    private Glob(String pattern, int[] elements, boolean hasSub) {
        this.pattern = pattern;
        this.elements = elements;
        this.hasSub = hasSub;
    }

    /**
     * Compiles a pattern.
     *
     * @throws IllegalArgumentException if the pattern is null or empty
     */
    public static Glob compile(String pattern) {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("a room pattern must not be empty");
        }
        int[] buf = new int[pattern.length()];
        int n = 0;
        boolean hasSub = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (n == 0 || buf[n - 1] != ANY) { // "**" is the same as "*"
                    buf[n++] = ANY;
                }
            } else if (c == '?') {
                buf[n++] = ONE;
            } else if (c == '{' && pattern.startsWith(SUB, i)) {
                buf[n++] = USER;
                hasSub = true;
                i += SUB.length() - 1;
            } else {
                buf[n++] = c;
            }
        }
        return new Glob(pattern, Arrays.copyOf(buf, n), hasSub);
    }

    /** The source text. */
    public String pattern() {
        return pattern;
    }

    /** True if the pattern holds {@code {sub}}. */
    public boolean hasSubPlaceholder() {
        return hasSub;
    }

    /** Whether {@code text} matches, {@code {sub}} matching any one or more characters. */
    public boolean matches(String text) {
        return matches(text, null);
    }

    /**
     * Whether {@code text} matches with {@code {sub}} standing for exactly {@code sub}; a {@code null}
     * {@code sub} makes {@code {sub}} match any one or more characters.
     */
    public boolean matches(String text, String sub) {
        if (text == null) {
            return false;
        }
        int p = 0;
        int t = 0;
        int starP = -1; // element index after the last '*' seen, to backtrack to
        int starT = -1; // text index that '*' currently stops at
        while (t < text.length()) {
            int step = p < elements.length ? step(elements[p], text, t, sub) : -1;
            if (step >= 0) {
                p++;
                t += step;
            } else if (p < elements.length && elements[p] == ANY) {
                starP = ++p;
                starT = t;
            } else if (p < elements.length && elements[p] == USER && sub == null && t < text.length()) {
                // Unbound {sub}: one character, then behaves like '*'.
                t++;
                starP = ++p;
                starT = t;
            } else if (starP >= 0) {
                p = starP;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < elements.length && elements[p] == ANY) {
            p++;
        }
        return p == elements.length;
    }

    /** How many text characters element {@code e} consumes at {@code t}, or -1 if it does not match there. */
    private static int step(int e, String text, int t, String sub) {
        if (e >= 0) {
            return text.charAt(t) == e ? 1 : -1;
        }
        if (e == ONE) {
            return 1;
        }
        if (e == USER && sub != null) {
            return !sub.isEmpty() && text.startsWith(sub, t) ? sub.length() : -1;
        }
        return -1; // ANY and unbound USER are handled by the caller
    }

    @Override
    public String toString() {
        return pattern;
    }
}
