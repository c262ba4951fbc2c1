package io.sockeye.server.gateway.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a room pattern a connect backend grants lies inside the patterns the configuration lets it grant
 * ({@code proxy.connect.rooms}): every room the grant can match must be matched by one scope pattern.
 * Patterns are compared as patterns, so a grant {@code chat:*} is inside {@code chat:*} and {@code *} but not
 * inside {@code chat:?} or {@code chat:lobby}, and a grant {@code user:{sub}} is inside {@code user:*}.
 */
final class GrantScope {

    // Pattern elements: a char (>= 0) is itself; the negative codes are the wildcards of room patterns.
    private static final int ANY = -1;  // '*': any run of characters
    private static final int ONE = -2;  // '?': one character
    private static final int SUB = -3;  // '{sub}': a user id, one or more characters

    private final List<int[]> scope;

    GrantScope(List<String> patterns) {
        List<int[]> compiled = new ArrayList<>();
        for (String p : patterns) {
            compiled.add(elements(p));
        }
        this.scope = List.copyOf(compiled);
    }

    boolean contains(String grant) {
        int[] g = elements(grant);
        for (int[] s : scope) {
            if (covers(s, 0, g, 0)) {
                return true;
            }
        }
        return false;
    }

    /** Whether scope elements from {@code i} match every string grant elements from {@code j} can match. */
    private static boolean covers(int[] s, int i, int[] g, int j) {
        if (i == s.length) {
            return j == g.length;
        }
        if (s[i] == ANY) {
            for (int k = j; k <= g.length; k++) { // '*' takes any number of the grant's elements, wildcards too
                if (covers(s, i + 1, g, k)) {
                    return true;
                }
            }
            return false;
        }
        if (j == g.length) {
            return false;
        }
        int e = g[j];
        boolean one = switch (s[i]) {
            case ONE -> e >= 0 || e == ONE;
            case SUB -> e != ANY; // one or more characters: a literal, '?', or another user id
            default -> e == s[i];
        };
        if (!one) {
            return false;
        }
        if (s[i] == SUB) { // '{sub}' may also take several of the grant's elements
            for (int k = j + 1; k <= g.length; k++) {
                if (covers(s, i + 1, g, k) && allNotAny(g, j, k)) {
                    return true;
                }
            }
            return false;
        }
        return covers(s, i + 1, g, j + 1);
    }

    private static boolean allNotAny(int[] g, int from, int to) {
        for (int k = from; k < to; k++) {
            if (g[k] == ANY) {
                return false;
            }
        }
        return true;
    }

    private static int[] elements(String pattern) {
        int[] out = new int[pattern.length()];
        int n = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (n == 0 || out[n - 1] != ANY) {
                    out[n++] = ANY;
                }
            } else if (c == '?') {
                out[n++] = ONE;
            } else if (pattern.startsWith("{sub}", i)) {
                out[n++] = SUB;
                i += 4;
            } else {
                out[n++] = c;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
