package io.sockeye.core.internal.socket;

import io.sockeye.core.adapter.Adapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;

/**
 * The namespaces of one server: static ones by name, and parent (dynamic) ones tried in
 * registration order for names no static namespace has (socket.io's {@code _nsps} and
 * {@code parentNsps}).
 */
public final class Namespaces {

    private static final Logger log = LoggerFactory.getLogger(Namespaces.class);

    /**
     * The longest namespace name, in characters. A CONNECT to a longer one is refused before any lookup,
     * regular expression or dynamic-namespace predicate sees it, and its answer names it cut short.
     */
    public static final int MAX_NAME_LENGTH = 256;

    private final ServerContext server;
    private final Map<String, NamespaceImpl> byName = new ConcurrentHashMap<>();
    private final List<ParentNamespaceImpl> parents = new CopyOnWriteArrayList<>();

    Namespaces(ServerContext server) {
        this.server = server;
    }

    /** socket.io: {@code if (String(name)[0] !== "/") name = "/" + name}. */
    static String normalize(String name) {
        if (name == null || name.isEmpty()) {
            return "/";
        }
        return name.charAt(0) == '/' ? name : "/" + name;
    }

    /** The namespace with this name, created if needed. */
    public NamespaceImpl of(String name) {
        String normalized = normalize(name);
        if (normalized.indexOf(',') >= 0) {
            throw new IllegalArgumentException("a namespace name cannot contain ',': " + name);
        }
        if (normalized.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a namespace name has at most " + MAX_NAME_LENGTH + " characters: "
                    + truncated(normalized));
        }
        NamespaceImpl existing = byName.get(normalized);
        return existing != null ? existing : byName.computeIfAbsent(normalized, n -> NamespaceImpl.create(server, n, null));
    }

    /**
     * A name past {@link #MAX_NAME_LENGTH} as it is echoed and logged: its first {@code MAX_NAME_LENGTH}
     * characters and an ellipsis. Longer than any valid name, so it never matches a client's socket.
     */
    static String truncated(String name) {
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH) + "\u2026";
    }

    /** A new parent namespace matching names with {@code matcher}. */
    public ParentNamespaceImpl parent(String description, BiPredicate<String, Map<String, Object>> matcher) {
        ParentNamespaceImpl parent = new ParentNamespaceImpl(server, description, matcher);
        parents.add(parent);
        return parent;
    }

    /**
     * The namespace a CONNECT for {@code name} goes to: an existing one, or a new child of the first
     * parent whose matcher accepts the name and auth; {@code null} when none does.
     */
    NamespaceImpl resolve(String name, Map<String, Object> auth) {
        NamespaceImpl existing = byName.get(name);
        if (existing != null) {
            return existing;
        }
        for (ParentNamespaceImpl parent : parents) {
            if (parent.matches(name, auth)) {
                return byName.computeIfAbsent(name, n -> NamespaceImpl.create(server, n, parent));
            }
        }
        return null;
    }

    Collection<NamespaceImpl> all() {
        return byName.values();
    }

    void closeAdapters() {
        for (NamespaceImpl nsp : new ArrayList<>(byName.values())) {
            nsp.closeRecovery();
            Adapter adapter = nsp.adapter();
            try {
                adapter.close();
            } catch (RuntimeException e) {
                log.warn("closing the adapter of namespace {} failed", nsp.name(), e);
            }
        }
    }
}
