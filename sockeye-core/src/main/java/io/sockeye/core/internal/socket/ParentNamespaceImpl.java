package io.sockeye.core.internal.socket;

import io.sockeye.core.Args;
import io.sockeye.core.EventHandler;
import io.sockeye.core.Middleware;
import io.sockeye.core.Namespace;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * A dynamic namespace (socket.io's {@code ParentNamespace}): it matches names instead of having one,
 * creates a child namespace on the first CONNECT to a matching name, hands each child a copy of its
 * middlewares and connection handlers, and broadcasts to all its children.
 */
public final class ParentNamespaceImpl extends BroadcastingNamespace {

    private static final Logger log = LoggerFactory.getLogger(ParentNamespaceImpl.class);

    private final ServerContext server;
    private final String description;
    private final BiPredicate<String, Map<String, Object>> matcher;
    private final List<RegisteredMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private final List<Consumer<Socket>> connectionHandlers = new CopyOnWriteArrayList<>();
    private final List<NamespaceImpl> children = new CopyOnWriteArrayList<>();

    ParentNamespaceImpl(ServerContext server, String description, BiPredicate<String, Map<String, Object>> matcher) {
        this.server = server;
        this.description = description;
        this.matcher = Objects.requireNonNull(matcher, "matcher");
    }

    static void checkConnectionEvent(String event) {
        if (!"connection".equals(event) && !"connect".equals(event)) {
            throw new IllegalArgumentException("a namespace emits only \"connection\" (alias \"connect\") to a"
                    + " single-argument handler; got \"" + event + "\"");
        }
    }

    /** Whether a CONNECT to {@code name} with {@code auth} belongs here; a failing matcher says no. */
    boolean matches(String name, Map<String, Object> auth) {
        try {
            return matcher.test(name, auth);
        } catch (RuntimeException e) {
            log.warn("namespace matcher {} failed for {}; treating it as no match", description, name, e);
            return false;
        }
    }

    void adopt(NamespaceImpl child) {
        children.add(child);
    }

    List<RegisteredMiddleware> middlewares() {
        return middlewares;
    }

    List<Consumer<Socket>> connectionHandlers() {
        return connectionHandlers;
    }

    @Override
    public CompletableFuture<Integer> serverCount() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "a parent of dynamic namespaces has no adapter: ask one of its namespaces"));
    }

    /** The child namespaces created so far. */
    public List<? extends Namespace> children() {
        return List.copyOf(children);
    }

    @Override
    BroadcastOperatorImpl operator() {
        return BroadcastOperatorImpl.of(server, () -> children);
    }

    @Override
    public String name() {
        return description;
    }

    @Override
    public SocketIoServer server() {
        return server.server();
    }

    @Override
    public void on(String event, Consumer<Socket> handler) {
        checkConnectionEvent(event);
        onConnection(handler);
    }

    /** Applies to children created from now on, as in socket.io. */
    @Override
    public void onConnection(Consumer<Socket> handler) {
        connectionHandlers.add(Objects.requireNonNull(handler, "handler"));
    }

    @Override
    public void on(String event, EventHandler handler) {
        throw new UnsupportedOperationException("server-side events are per namespace; register them on a child");
    }

    /** Applies to children created from now on, as in socket.io. */
    @Override
    public void use(Middleware middleware) {
        middlewares.add(new RegisteredMiddleware(Objects.requireNonNull(middleware, "middleware"), false));
    }

    /** Applies to children created from now on, as {@link #use} does. */
    @Override
    public void useAlways(Middleware middleware) {
        middlewares.add(new RegisteredMiddleware(Objects.requireNonNull(middleware, "middleware"), true));
    }

    @Override
    public Collection<? extends Socket> sockets() {
        List<Socket> all = new ArrayList<>();
        for (NamespaceImpl child : children) {
            all.addAll(child.sockets());
        }
        return java.util.Collections.unmodifiableList(all);
    }

    /** Looks the id up in every child. */
    @Override
    public Socket socket(String id) {
        for (NamespaceImpl child : children) {
            Socket s = child.socket(id);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    @Override
    public void serverSideEmit(String event, Object... args) {
        throw new UnsupportedOperationException("serverSideEmit is per namespace; call it on a child");
    }

    @Override
    public CompletableFuture<List<Args>> serverSideEmitWithAck(String event, Object... args) {
        throw new UnsupportedOperationException("serverSideEmit is per namespace; call it on a child");
    }

    @Override
    public String toString() {
        return "ParentNamespace(" + description + ")";
    }

    /** A parent has no stream of its own: each child namespace has its history. */
    @Override
    public io.sockeye.core.recovery.RoomHistory roomHistory() {
        return null;
    }
}
