package io.sockeye.core;

import io.sockeye.core.engine.EngineIo;
import io.sockeye.core.engine.EngineSocket;
import io.sockeye.core.internal.socket.ServerContext;
import io.sockeye.core.spi.transport.EngineEndpoint;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A Socket.IO server (protocol v5 over Engine.IO v4), independent of the network: attach it to a
 * transport such as {@code io.sockeye.netty.NettyFrontend} to serve clients.
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
 * io.on("connection", socket -> {
 *     socket.on("chat", (args, ack) -> socket.broadcast().emit("chat", args.toArray()));
 * });
 * io.of("/admin").use((socket, next) -> next.reject(new ConnectError("not authorized")));
 * }</pre>
 *
 * <p>The methods without a namespace act on the main namespace {@code /}. Thread-safe.
 */
public final class SocketIoServer {

    private final ServerOptions options;
    private final ServerContext context;
    private final EngineEndpoint engine;
    private final Namespace main;

    private SocketIoServer(ServerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.context = new ServerContext(this, options);
        this.main = context.namespaces().of("/");
        this.engine = EngineIo.endpoint(options, this::onEngineConnection);
    }

    /** A server with the default options. */
    public static SocketIoServer create() {
        return create(ServerOptions.defaults());
    }

    public static SocketIoServer create(ServerOptions options) {
        return new SocketIoServer(options);
    }

    public ServerOptions options() {
        return options;
    }

    // Package-private so that tests can attach in-memory Engine.IO sessions.
    void onEngineConnection(EngineSocket engineSocket) {
        context.accept(engineSocket);
    }

    /**
     * The Engine.IO endpoint underneath: what a transport serves (see {@code io.sockeye.core.spi.transport});
     * also where the open sessions are counted.
     */
    public EngineEndpoint engine() {
        return engine;
    }

    // ---- namespaces --------------------------------------------------------------------------

    /** The namespace {@code name} ({@code "chat"} means {@code "/chat"}), created on first use. */
    public Namespace of(String name) {
        return context.namespaces().of(name);
    }

    /**
     * A dynamic namespace: every CONNECT to a name matching {@code pattern} (whole name, e.g.
     * {@code Pattern.compile("/room-\\d+")}) creates, on first use, a child namespace that gets this
     * parent's middlewares and connection handlers. Names that already exist are never matched.
     */
    public Namespace of(Pattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        return context.namespaces().parent(pattern.pattern(), (name, auth) -> pattern.matcher(name).matches());
    }

    /**
     * A dynamic namespace decided by code: {@code matcher} gets the requested name and the CONNECT
     * auth payload, on the connection's event loop (keep it quick and non-blocking).
     */
    public Namespace of(BiPredicate<String, Map<String, Object>> matcher) {
        return context.namespaces().parent("dynamic:" + matcher, matcher);
    }

    /** The main namespace {@code /} (socket.io's {@code io.sockets}). */
    public Namespace sockets() {
        return main;
    }

    // ---- the main namespace's API ------------------------------------------------------------

    /** {@code io.on("connection", socket -> ...)}: see {@link Namespace#on(String, Consumer)}. */
    public void on(String event, Consumer<Socket> handler) {
        main.on(event, handler);
    }

    public void onConnection(Consumer<Socket> handler) {
        main.onConnection(handler);
    }

    /** Server-side events from other nodes, on the main namespace. */
    public void on(String event, EventHandler handler) {
        main.on(event, handler);
    }

    public void use(Middleware middleware) {
        main.use(middleware);
    }

    /** {@link Namespace#useAlways} on the main namespace. */
    public void useAlways(Middleware middleware) {
        main.useAlways(middleware);
    }

    public BroadcastOperator to(String... rooms) {
        return main.to(rooms);
    }

    public BroadcastOperator to(Collection<String> rooms) {
        return main.to(rooms);
    }

    public BroadcastOperator in(String... rooms) {
        return main.in(rooms);
    }

    public BroadcastOperator except(String... rooms) {
        return main.except(rooms);
    }

    public BroadcastOperator asVolatile() {
        return main.asVolatile();
    }

    public BroadcastOperator local() {
        return main.local();
    }

    public BroadcastOperator compress(boolean compress) {
        return main.compress(compress);
    }

    public BroadcastOperator timeout(Duration timeout) {
        return main.timeout(timeout);
    }

    public void emit(String event, Object... args) {
        main.emit(event, args);
    }

    public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
        return main.emitWithAck(event, args);
    }

    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return main.fetchSockets();
    }

    public void socketsJoin(String... rooms) {
        main.socketsJoin(rooms);
    }

    public void socketsLeave(String... rooms) {
        main.socketsLeave(rooms);
    }

    public void disconnectSockets(boolean close) {
        main.disconnectSockets(close);
    }

    public void serverSideEmit(String event, Object... args) {
        main.serverSideEmit(event, args);
    }

    public CompletableFuture<List<Args>> serverSideEmitWithAck(String event, Object... args) {
        return main.serverSideEmitWithAck(event, args);
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /**
     * Shuts down: every socket is disconnected with {@code server shutting down} (no packet is sent),
     * the namespaces' adapters are closed, then the Engine.IO server closes every session and refuses
     * new ones. Waits a bounded time for the event loops. Idempotent.
     */
    public void close() {
        context.shutdown();
        engine.close();
    }
}
