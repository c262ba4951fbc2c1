package io.sockeye.server.admin;

import io.sockeye.core.Args;
import io.sockeye.core.BroadcastOperator;
import io.sockeye.core.ConnectError;
import io.sockeye.core.Namespace;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server side of the official Socket.IO Admin UI ({@code @socket.io/admin-ui} 0.5, docs/operations.md "Socket.IO Admin UI"),
 * so that the hosted UI at https://admin.socket.io (or its {@code ui/dist}) can be pointed at Sockeye:
 *
 * <ul>
 *   <li>Authentication in the CONNECT auth: {@code {username, password}} (checked by {@link AdminLogin}
 *       off the event loop, throttled together with the dashboard's login: bcrypt hash or plain),
 *       answered with {@code session} and a random id; a reconnection may present {@code {sessionId}}
 *       instead. Anything else: CONNECT_ERROR {@code invalid credentials}; past the throttle
 *       {@code too many attempts}.</li>
 *   <li>On connection: {@code config {supportedFeatures}}; then {@code server_stats} to the whole
 *       namespace every {@link AdminUiOptions#statsInterval()}.</li>
 *   <li>The UI's commands {@code emit}, {@code join}, {@code leave}, {@code _disconnect}, mapped to
 *       {@code io.of(nsp).in(filter)...}; ignored in read-only mode.</li>
 * </ul>
 *
 * In development mode ({@link AdminUiOptions#development()}) the UI also receives {@code all_sockets},
 * {@code socket_connected}, {@code event_received}... ({@link AdminUiDevelopment}) and the feature
 * {@code ALL_EVENTS}.
 *
 * <p>The UI's msgpack parser option needs the server's {@code parser} to be msgpack or auto. Not
 * implemented: packet/byte counts in {@code aggregatedEvents} (connections and disconnections are counted).
 * Sessions live in this node's memory only.
 *
 * <p>The hosted UI connects from the origin {@code https://admin.socket.io} with credentials: the
 * server's CORS settings must allow that origin for its long-polling mode.
 */
public final class AdminUiNamespace implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminUiNamespace.class);

    /** socket.io's admin-ui answers exactly this. */
    static final String INVALID_CREDENTIALS = "invalid credentials";
    /** The CONNECT_ERROR of an attempt the {@link AdminLogin} throttle refused without checking it. */
    static final String TOO_MANY_ATTEMPTS = "too many attempts";
    /** Sessions kept at most; the oldest are forgotten first (their UI then logs in again). */
    static final int MAX_SESSIONS = 1_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SocketIoServer io;
    private final AdminUiOptions options;
    private final AdminLogin login;
    private final boolean ownsLogin;
    private final Namespace admin;
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final AggregatedEvents events = new AggregatedEvents();
    private final long startedNanos = System.nanoTime();
    private final ScheduledExecutorService timer;
    private final AdminUiDevelopment development;

    private AdminUiNamespace(SocketIoServer io, AdminUiOptions options, AdminLogin shared) {
        this.io = io;
        this.options = options;
        if (shared != null && shared.credentials() != options.credentials()) {
            throw new IllegalArgumentException("the shared admin login checks other credentials than the options name");
        }
        this.ownsLogin = shared == null && options.credentials() != null;
        this.login = ownsLogin ? AdminLogin.of(options.credentials()) : shared;
        this.admin = io.of(options.namespace());
        if (options.credentials() == null) {
            log.warn("Admin UI namespace {} has no authentication: anyone may connect and control sockets",
                    options.namespace());
        }
        admin.use(this::authenticate);
        admin.onConnection(this::onAdminConnection);
        Set<String> watched = new LinkedHashSet<>();
        for (String name : reportedNamespaces()) {
            if (!name.equals(options.namespace())) {
                io.of(name).onConnection(this::countConnection);
                watched.add(name);
            }
        }
        this.development = options.development() ? new AdminUiDevelopment(io, admin, watched) : null;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sockeye-admin-ui-stats");
            t.setDaemon(true);
            return t;
        });
        long every = options.statsInterval().toMillis();
        timer.scheduleAtFixedRate(this::emitStatsSafely, every, every, TimeUnit.MILLISECONDS);
        if (development != null) {
            timer.scheduleWithFixedDelay(this::sweepSafely, 1, 1, TimeUnit.SECONDS);
        }
    }

    private void sweepSafely() {
        try {
            development.sweep();
        } catch (RuntimeException e) {
            log.warn("Admin UI sweep failed", e);
        }
    }

    /**
     * Installs the namespace on {@code io} and starts its stats timer; {@link #close()} stops the timer.
     * Call once, before the server accepts connections.
     */
    public static AdminUiNamespace install(SocketIoServer io, AdminUiOptions options) {
        return new AdminUiNamespace(io, options, null);
    }

    /**
     * Like {@link #install(SocketIoServer, AdminUiOptions)}, checking passwords through {@code login}, shared
     * with the dashboard, so that guesses made here count there too; {@code login} must check
     * {@code options.credentials()}. The caller closes it.
     */
    public static AdminUiNamespace install(SocketIoServer io, AdminUiOptions options, AdminLogin login) {
        return new AdminUiNamespace(io, options, java.util.Objects.requireNonNull(login, "login"));
    }

    // ---- authentication -------------------------------------------------------------------------

    private void authenticate(Socket socket, io.sockeye.core.Next next) {
        AdminCredentials credentials = options.credentials();
        if (credentials == null) {
            next.proceed();
            return;
        }
        Map<String, Object> auth = socket.handshake().auth();
        if (auth.get("sessionId") instanceof String id && sessions.contains(id)) {
            next.proceed();
            return;
        }
        String user = auth.get("username") instanceof String s ? s : null;
        String password = auth.get("password") instanceof String s ? s : null;
        // Completes on the checker's thread; the middleware chain resumes on the connection's event loop.
        login.check(socket.handshake().address(), "Admin UI", user, password).thenAccept(outcome -> {
            switch (outcome) {
                case ACCEPTED -> {
                    socket.data().put("adminSessionId", newSession());
                    next.proceed();
                }
                case REFUSED -> next.reject(new ConnectError(INVALID_CREDENTIALS));
                case THROTTLED, BUSY -> next.reject(new ConnectError(TOO_MANY_ATTEMPTS));
            }
        });
    }

    private String newSession() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.clear(); // rare; the UIs log in again with their stored credentials
        }
        sessions.add(id);
        return id;
    }

    // ---- the UI's connection ----------------------------------------------------------------------

    private void onAdminConnection(Socket socket) {
        if (socket.data().get("adminSessionId") instanceof String id) {
            socket.emit("session", id);
        }
        socket.emit("config", Map.of("supportedFeatures", supportedFeatures()));
        socket.emit("server_stats", serverStats(List.of()));
        if (development != null) {
            socket.emit("all_sockets", development.allSockets());
        }
        if (!options.readonly()) {
            socket.on("emit", (args, ack) -> onEmit(args));
            socket.on("join", (args, ack) -> onJoinOrLeave(args, true));
            socket.on("leave", (args, ack) -> onJoinOrLeave(args, false));
            socket.on("_disconnect", (args, ack) -> onDisconnect(args));
        }
    }

    List<String> supportedFeatures() {
        List<String> features = new ArrayList<>();
        if (!options.readonly()) {
            features.addAll(List.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT"));
        }
        features.add("AGGREGATED_EVENTS");
        if (development != null) {
            features.add("ALL_EVENTS");
        }
        return features;
    }

    // emit (nsp, filter, ev, ...args)
    private void onEmit(Args args) {
        Namespace nsp = target(args, 0);
        if (nsp == null || args.size() < 3 || !(args.get(2) instanceof String event)) {
            return;
        }
        List<Object> rest = args.list().subList(3, args.size());
        try {
            select(nsp, args.get(1)).emit(event, rest.toArray());
        } catch (IllegalArgumentException e) { // a reserved event name
            log.debug("Admin UI emit refused: {}", e.getMessage());
        }
    }

    // join / leave (nsp, room, filter?)
    private void onJoinOrLeave(Args args, boolean join) {
        Namespace nsp = target(args, 0);
        if (nsp == null || args.size() < 2 || !(args.get(1) instanceof String room)) {
            return;
        }
        BroadcastOperator selected = select(nsp, args.size() > 2 ? args.get(2) : null);
        if (join) {
            selected.socketsJoin(room);
        } else {
            selected.socketsLeave(room);
        }
    }

    // _disconnect (nsp, close, filter?)
    private void onDisconnect(Args args) {
        Namespace nsp = target(args, 0);
        if (nsp == null) {
            return;
        }
        boolean close = args.size() > 1 && Boolean.TRUE.equals(args.get(1));
        select(nsp, args.size() > 2 ? args.get(2) : null).disconnectSockets(close);
    }

    /** Only namespaces this server reports: {@code io.of(name)} would otherwise create any name sent. */
    private Namespace target(Args args, int index) {
        if (args.size() > index && args.get(index) instanceof String name && reportedNamespaces().contains(name)) {
            return io.of(name);
        }
        return null;
    }

    /** A filter is a room (or socket id), a list of them, or absent for the whole namespace. */
    private static BroadcastOperator select(Namespace nsp, Object filter) {
        if (filter instanceof String room) {
            return nsp.in(room);
        }
        if (filter instanceof Collection<?> rooms && !rooms.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Object r : rooms) {
                if (r instanceof String s) {
                    names.add(s);
                }
            }
            return nsp.to(names);
        }
        return nsp.in();
    }

    // ---- stats ----------------------------------------------------------------------------------

    private void countConnection(Socket socket) {
        events.add(System.currentTimeMillis(), "rawConnection", null);
        socket.onDisconnect(reason -> events.add(System.currentTimeMillis(), "rawDisconnection", reason));
    }

    private void emitStatsSafely() {
        try {
            // Counts wait (bounded) until a UI listens, so none is lost between two UIs.
            if (!admin.sockets().isEmpty()) {
                admin.emit("server_stats", serverStats(events.drain()));
            }
        } catch (RuntimeException e) {
            log.warn("Admin UI stats failed", e);
        }
    }

    Map<String, Object> serverStats(List<Map<String, Object>> aggregated) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("serverId", options.serverId());
        stats.put("hostname", ServerInfo.hostname());
        stats.put("pid", ProcessHandle.current().pid());
        stats.put("uptime", (System.nanoTime() - startedNanos) / 1e9); // seconds, like process.uptime()
        stats.put("clientsCount", io.engine().clientsCount());
        stats.put("pollingClientsCount", io.engine().pollingClientsCount());
        stats.put("aggregatedEvents", aggregated);
        List<Map<String, Object>> namespaces = new ArrayList<>();
        for (String name : reportedNamespaces()) {
            Map<String, Object> nsp = new LinkedHashMap<>();
            nsp.put("name", name);
            nsp.put("socketsCount", io.of(name).sockets().size());
            namespaces.add(nsp);
        }
        stats.put("namespaces", namespaces);
        return stats;
    }

    private Set<String> reportedNamespaces() {
        Set<String> names = new LinkedHashSet<>(options.namespaces());
        names.add(options.namespace());
        return names;
    }

    /** Stops the stats timer and its own password check (the namespace itself stays until the server closes). */
    @Override
    public void close() {
        timer.shutdownNow();
        if (ownsLogin) {
            login.close();
        }
    }
}
