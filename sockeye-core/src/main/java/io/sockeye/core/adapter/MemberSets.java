package io.sockeye.core.adapter;

import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copy-on-write sets of room members and of a socket's rooms, sized for the common case. Most sets
 * are tiny (a socket's own room has one member; a socket is in two or three rooms), and a concurrent
 * hash set costs about 200 bytes even for one element, a fair share of an idle connection. So a set
 * stays an immutable {@code Set.of(...)} up to {@link #SMALL} elements, replaced whole on change,
 * and becomes a concurrent set once larger (big rooms, where copying would cost more than it saves).
 *
 * <p>Callers change a set only inside {@code ConcurrentHashMap.compute} on the entry that holds it, so
 * changes to one set never race; readers iterate whatever set they loaded (immutable, or weakly
 * consistent once concurrent).
 */
final class MemberSets {

    /** Largest set kept immutable. */
    static final int SMALL = 8;

    private MemberSets() {
    }

    /** {@code set} with {@code element} added ({@code set} may be null); the same instance when already there. */
    public static Set<String> plus(Set<String> set, String element) {
        if (set == null) {
            return Set.of(element);
        }
        if (set.contains(element)) {
            return set;
        }
        if (set instanceof ConcurrentHashMap.KeySetView<?, ?>) {
            set.add(element);
            return set;
        }
        if (set.size() < SMALL) {
            ArrayList<String> larger = new ArrayList<>(set.size() + 1);
            larger.addAll(set);
            larger.add(element);
            return Set.copyOf(larger);
        }
        Set<String> concurrent = ConcurrentHashMap.newKeySet(SMALL * 4);
        concurrent.addAll(set);
        concurrent.add(element);
        return concurrent;
    }

    /** {@code set} without {@code element}, or null when that leaves it empty. */
    public static Set<String> minus(Set<String> set, String element) {
        if (set instanceof ConcurrentHashMap.KeySetView<?, ?>) {
            set.remove(element);
            return set.isEmpty() ? null : set;
        }
        if (!set.contains(element)) {
            return set;
        }
        if (set.size() == 1) {
            return null;
        }
        ArrayList<String> smaller = new ArrayList<>(set);
        smaller.remove(element);
        return Set.copyOf(smaller);
    }

    /** A read-only view of {@code set} (immutable sets are returned as they are). */
    public static Set<String> readOnly(Set<String> set) {
        return set instanceof ConcurrentHashMap.KeySetView<?, ?> ? java.util.Collections.unmodifiableSet(set) : set;
    }
}
