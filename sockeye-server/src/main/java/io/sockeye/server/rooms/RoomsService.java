package io.sockeye.server.rooms;

import io.sockeye.core.RemoteSocket;
import io.sockeye.core.Socket;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.adapter.ClusterUnavailableException;
import io.sockeye.core.recovery.OffsetPlaceholder;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.server.auth.Access;
import io.sockeye.server.auth.Permissions;
import io.sockeye.server.auth.Principal;
import io.sockeye.server.auth.RoomRule;
import io.sockeye.server.auth.TokenVerifier;
import io.sockeye.server.limits.ConnectionLimits;
import io.sockeye.server.limits.LimitsSettings;
import io.sockeye.server.limits.RejectionReason;
import io.sockeye.server.limits.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The standalone server's rooms service: the client protocol of docs/client-protocol.md over Socket.IO events on
 * namespace {@code /}, the handshake authentication of §3 and the per-connection limits of §5.
 *
 * <p>Rooms are Socket.IO rooms of the same name in {@code /}, so a cluster adapter carries them:
 * a publish is one {@code io.to(room).emit(event, data, meta)} (encoded once, fanned out by the
 * adapter), presence and room listings are {@code fetchSockets} queries (cluster-wide once the
 * adapter is). Each authenticated connection joins its personal room {@code user:<sub>}.
 *
 * <p>Token expiry: a connection whose token's {@code exp} (plus the verifier's clock skew, the same
 * leeway the handshake gives) passes without a {@code refresh} first
 * receives {@code sockeye:error {code: "unauthorized", message: "token expired"}}, then is
 * disconnected by the server (socket.io clients see {@code io server disconnect} and do not reconnect
 * on their own). The check runs every {@value #TICK_MILLIS} ms against the injected {@link Clock};
 * {@link #sweep()} runs it at once.
 *
 * <p>Threading: requests of one connection run one at a time where the core runs handlers (its event
 * loop by default) and never block: token verification and cluster queries complete later and answer
 * then. Public methods are thread-safe.
 */
public final class RoomsService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RoomsService.class);

    static final long TICK_MILLIS = 250;
    /** How long an admitted connection may take to finish connecting before its slots are given back. */
    static final long PENDING_TIMEOUT_MILLIS = 30_000;
    /** The server-to-client event telling why the server is about to disconnect the connection. */
    public static final String ERROR_EVENT = Names.SERVER_EVENT_PREFIX + "error";
    /** The most messages one history request answers. */
    public static final int MAX_HISTORY_LIMIT = RoomsRequest.MAX_HISTORY_LIMIT;
    /** The messages a history request without a limit answers. */
    public static final int DEFAULT_HISTORY_LIMIT = RoomsRequest.DEFAULT_HISTORY_LIMIT;
    /** Longer {@code since} values are refused without parsing. */
    public static final int MAX_OFFSET_LENGTH = RoomsRequest.MAX_OFFSET_LENGTH;

    private final SocketIoServer io;
    private final Permissions permissions;
    private final TokenVerifier verifier;
    private final LimitsSettings limits;
    private final Clock clock;
    private final Stats stats = new Stats();
    private final ConnectionLimits connectionLimits;
    private final PresenceTracker tracker = new PresenceTracker();
    private final MessageIds ids = new MessageIds();
    private final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, ClientSession> pending = new ConcurrentHashMap<>();
    private final TokenExpiry expiry;
    private final ClientRequests requests;
    private final BackendRefresh backendRefresh;
    private final RoomHistoryReplies history;
    private ScheduledExecutorService timer;

    private volatile java.util.function.BooleanSupplier clusterAvailable = () -> true;
    private volatile RoomsHooks hooks = RoomsHooks.NONE;

    public RoomsService(SocketIoServer io, Permissions permissions, TokenVerifier verifier, LimitsSettings limits,
                        Clock clock) {
        this.io = io;
        this.permissions = permissions;
        this.verifier = verifier;
        this.limits = limits;
        this.clock = clock;
        this.connectionLimits = new ConnectionLimits(limits);
        this.expiry = new TokenExpiry(sessions::get, verifier.settings().clockSkew());
        this.requests = new ClientRequests(this, permissions, verifier, limits, stats);
        this.backendRefresh = new BackendRefresh(this, stats, clock);
        this.history = new RoomHistoryReplies(io);
    }

    /** Plugs in a gateway to the application's backends (proxies, forwarding); before {@link #install()}. */
    public synchronized void hooks(RoomsHooks newHooks) {
        if (timer != null) {
            throw new IllegalStateException("hooks must be set before install()");
        }
        this.hooks = java.util.Objects.requireNonNull(newHooks, "hooks");
    }

    RoomsHooks hooks() {
        return hooks;
    }

    /** Installs the handshake middleware and the connection handler on namespace {@code /}; starts the expiry timer. */
    public synchronized void install() {
        if (timer != null) {
            throw new IllegalStateException("already installed");
        }
        boolean anonymous = anonymousMayConnect(permissions) || hooks.admits(false);
        // Always, also for a socket restored by connection state recovery: an expired token is not revived.
        io.useAlways(new HandshakeAuth(verifier, anonymous, connectionLimits, limits, stats, clock,
                s -> pending.put(s.id(), s), hooks));
        io.onConnection(this::onConnection);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sockeye-rooms-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::sweepSafely, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Whether a connection without a token is let in: with {@code allowAnonymous}, or when some room rule
     * gives {@code anyone} a right (public rooms); otherwise a missing token is {@code unauthorized}.
     */
    static boolean anonymousMayConnect(Permissions permissions) {
        if (permissions.anonymousAllowed()) {
            return true;
        }
        for (RoomRule rule : permissions.rules()) {
            if (rule.subscribe() == Access.ANYONE || rule.publish() == Access.ANYONE || rule.presence() == Access.ANYONE) {
                return true;
            }
        }
        return false;
    }

    /** This node's counters. */
    public Stats stats() {
        return stats;
    }

    /** Rooms with at least one connection of this node (subscriptions and personal rooms). */
    public int localRoomCount() {
        return tracker.roomCount();
    }

    // ---- connections ----------------------------------------------------------------------------

    private void onConnection(Socket socket) {
        ClientSession session = pending.remove(socket.id());
        if (session == null) {
            log.warn("socket {} connected without passing the rooms service's handshake; disconnecting it", socket.id());
            socket.disconnect();
            return;
        }
        sessions.put(socket.id(), session);
        stats.connected();
        socket.onDisconnect(reason -> onDisconnect(session));
        if (session.personalRoom() != null) {
            socket.join(session.personalRoom());
            tracker.join(session.personalRoom(), session.user());
        }
        requests.register(session);
        expiry.schedule(session, session.expiryGeneration());
        if (socket.recovered()) {
            requests.restoreSubscriptions(session);
        }
    }

    private void onDisconnect(ClientSession session) {
        sessions.remove(session.id(), session);
        List<String> rooms = session.close();
        stats.disconnected();
        for (String room : rooms) {
            if (tracker.leave(room, session.user()) && session.user() != null && permissions.presenceEnabled(room)) {
                emitPresence("presence:leave", room, session.user());
            }
        }
    }

    /**
     * Subscribes, catching up from {@code since} when given ({@link Socket#joinSince}), and answers
     * {@code {ok, room, data?, recovered?, offset}} once the replay is written: {@code data} is a subscribe
     * backend's answer (null for none), {@code recovered} is there with {@code since}.
     */
    void subscribe(ClientSession session, String room, StreamPosition since, Object data,
                   Consumer<Map<String, Object>> reply) {
        Socket socket = session.socket();
        boolean wasMember = session.isMember(room);
        session.addSubscription(room);
        boolean first = !wasMember && tracker.join(room, session.user());
        if (permissions.presenceEnabled(room) && permissions.canSeePresence(session.principal(), room)) {
            socket.join(Names.presenceWatchers(room));
        }
        Runnable presence = () -> {
            if (first && permissions.presenceEnabled(room)) {
                emitPresence("presence:join", room, session.user());
            }
        };
        if (since == null) {
            socket.join(room);
            reply.accept(Replies.subscribed(room, data, null, history.headOffset()));
            presence.run();
            return;
        }
        socket.joinSince(room, since).whenComplete((replay, error) -> {
            if (error != null) { // joinSince does not fail; a bug must not leave the request unanswered
                log.warn("catching socket {} up on {} failed", socket.id(), room, error);
                reply.accept(Replies.subscribed(room, data, false, history.headOffset()));
            } else {
                stats.caughtUp(replay.recovered(), replay.replayed());
                reply.accept(Replies.subscribed(room, data, replay.recovered(), replay.offset()));
            }
            presence.run();
        });
    }

    /** The position of a client's {@code since}; {@code invalid} when it is not one of this server's offsets. */
    StreamPosition position(String offset) {
        return history.position(offset);
    }

    /** A room's history as the client protocol and the HTTP API answer it. */
    CompletableFuture<Map<String, Object>> history(String room, StreamPosition since, int limit) {
        return history.read(room, since, limit);
    }

    /**
     * The HTTP API's history request: {@code since} (or null) is checked here.
     *
     * @throws RoomsException {@code invalid} for a bad room or offset
     */
    public CompletableFuture<Map<String, Object>> history(String room, String since, int limit) {
        Names.requireRoom(room);
        return history(room, since == null ? null : position(since), limit);
    }

    void unsubscribe(ClientSession session, String room, Runnable reply) {
        Socket socket = session.socket();
        session.removeSubscription(room);
        boolean stillMember = session.isMember(room); // its personal room stays joined
        if (!stillMember) {
            socket.leave(room);
        }
        socket.leave(Names.presenceWatchers(room));
        boolean last = !stillMember && tracker.leave(room, session.user());
        reply.run();
        if (last && permissions.presenceEnabled(room)) {
            emitPresence("presence:leave", room, session.user());
        }
    }

    void refreshed(ClientSession session, Principal principal, Instant expiresAt) {
        long generation = session.refreshed(principal, expiresAt);
        expiry.schedule(session, generation);
    }

    private void emitPresence(String event, String room, String user) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("room", room);
        payload.put("user", user);
        io.to(Names.presenceWatchers(room)).emit(event, payload);
    }

    // ---- publishing -----------------------------------------------------------------------------

    /**
     * Delivers {@code event} with {@code (data, meta)} to every connection in {@code room} (on every node
     * with a cluster adapter); the packet is encoded once. No permission check: the caller decided.
     *
     * @param from the publishing user, or {@code null} (anonymous, or the HTTP API)
     * @return the message id, also in {@code meta.id}, and its offset once known
     * @throws RoomsException {@code invalid} for a bad room or a reserved event name; {@code unavailable}
     *                        when the cluster adapter refuses the broadcast at once, or when the cluster bus
     *                        is known to be down (then it was delivered on this node only; the exception
     *                        carries the id)
     */
    public Published publish(String room, String event, Object data, String from) {
        return publish(room, event, data, from, ids.next());
    }

    /** A new message id, for a publish whose id is needed before it is broadcast (forwarding). */
    String nextMessageId() {
        return ids.next();
    }

    /** {@link #publish(String, String, Object, String)} with the id taken beforehand ({@link #nextMessageId}). */
    Published publish(String room, String event, Object data, String from, String id) {
        boolean clusterUp = clusterAvailable.getAsBoolean(); // before sending: what the bus can promise
        Names.requireRoom(room);
        Names.requireEvent(event);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("room", room);
        meta.put("from", from);
        meta.put("id", id);
        meta.put("ts", clock.millis());
        if (history.enabled()) {
            meta.put("offset", OffsetPlaceholder.VALUE); // the core writes the broadcast's offset here
        }
        CompletableFuture<String> offset;
        try {
            offset = io.to(room).emitWithOffset(event, data, meta);
        } catch (ClusterUnavailableException e) {
            throw new RoomsException(ErrorCode.UNAVAILABLE, "the cluster is unavailable right now, try again");
        }
        stats.published(tracker.localCount(room));
        if (!clusterUp) {
            // "Nothing accepted is silently lost": the other nodes did not get it, so the publisher is told
            // (with the id, which subscribers here saw in meta.id, so a retry can be recognised).
            throw new RoomsException(ErrorCode.UNAVAILABLE,
                    "the cluster bus is unreachable: delivered to this node's subscribers only", id);
        }
        return new Published(id, offset);
    }

    /**
     * How this node learns whether its cluster bus is up (default: always, as on a single node). While it
     * is down, {@link #publish} still delivers to this node's subscribers but answers {@code unavailable}.
     */
    public void clusterAvailability(java.util.function.BooleanSupplier isUp) {
        this.clusterAvailable = java.util.Objects.requireNonNull(isUp, "isUp");
    }

    // ---- queries (cluster-wide through the adapter) ----------------------------------------------

    /** Who is in {@code room}; fails when the adapter cannot answer (then: {@code unavailable}). */
    public CompletableFuture<Presence> presence(String room) {
        Names.requireRoom(room);
        return clusterQuery(() -> io.in(room).fetchSockets()).thenApply(sockets -> {
            Map<String, Integer> users = new TreeMap<>();
            Map<String, Object> data = new TreeMap<>();
            for (RemoteSocket s : sockets) {
                if (s.data().get("user") instanceof String user) {
                    users.merge(user, 1, Integer::sum);
                    Object d = s.data().get("data"); // what a connect backend said about the user
                    if (d != null) {
                        data.putIfAbsent(user, d);
                    }
                }
            }
            List<Presence.Member> members = new ArrayList<>(users.size());
            users.forEach((user, n) -> members.add(new Presence.Member(user, n, data.get(user))));
            return new Presence(room, sockets.size(), members);
        });
    }

    /** Every room with connections, sorted by name, without the sockets' own-id rooms and hidden rooms. */
    public CompletableFuture<List<RoomCount>> rooms() {
        return clusterQuery(io::fetchSockets).thenApply(sockets -> {
            Map<String, Integer> counts = new TreeMap<>();
            for (RemoteSocket s : sockets) {
                for (String room : s.rooms()) {
                    if (!room.equals(s.id()) && !Names.isHidden(room)) {
                        counts.merge(room, 1, Integer::sum);
                    }
                }
            }
            List<RoomCount> out = new ArrayList<>(counts.size());
            counts.forEach((room, n) -> out.add(new RoomCount(room, n)));
            return out;
        });
    }

    /** Disconnects every connection of {@code user}; completes with how many there were. */
    public CompletableFuture<Integer> disconnectUser(String user) {
        return disconnectRoom(Names.personalRoom(user));
    }

    /** Disconnects every connection in {@code room}; completes with how many there were. */
    public CompletableFuture<Integer> disconnectRoom(String room) {
        return clusterQuery(() -> io.in(room).fetchSockets()).thenApply(sockets -> {
            // Namespace disconnect, not a transport close: clients see "io server disconnect" and stay away.
            io.in(room).disconnectSockets(false);
            return sockets.size();
        });
    }

    /**
     * Runs a cluster-wide query; an adapter that refuses it at once (bus down) becomes a failed future
     * like one that fails later, so every caller answers {@code unavailable} the same way.
     */
    private static <T> CompletableFuture<T> clusterQuery(Supplier<CompletableFuture<T>> query) {
        try {
            return query.get();
        } catch (ClusterUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---- limits and timers ----------------------------------------------------------------------

    void disconnectForAbuse(ClientSession session) {
        if (session.kick()) {
            stats.rejected(RejectionReason.ABUSE_DISCONNECT);
            log.debug("disconnecting socket {} from {}: sustained request flood", session.id(),
                    session.socket().handshake().address());
            kick(session, ErrorCode.RATE_LIMITED, "too many requests");
        }
    }

    private void kick(ClientSession session, ErrorCode code, String message) {
        kick(session, code.code(), message);
    }

    /** Tells the client why ({@code sockeye:error {code, message}}), then disconnects it. */
    void kick(ClientSession session, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        // Both hop to the connection's event loop in this order: the client reads the reason first.
        session.socket().emit(ERROR_EVENT, error);
        session.socket().disconnect();
    }

    /** Disconnects the connections whose token expired and gives back slots of abandoned handshakes. */
    public void sweep() {
        long now = clock.millis();
        for (ClientSession session : expiry.due(now, sessions.size())) {
            if (session.admittedByBackend() && hooks.refreshes()) {
                backendRefresh.refresh(session, hooks);
            } else if (session.kick()) {
                stats.rejected(RejectionReason.TOKEN_EXPIRED);
                kick(session, ErrorCode.UNAUTHORIZED, session.admittedByBackend() ? "session expired" : "token expired");
            }
        }
        pending.values().removeIf(s -> {
            if (now - s.admittedAtMillis() > PENDING_TIMEOUT_MILLIS && !s.socket().connected()) {
                s.abandon();
                return true;
            }
            return false;
        });
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("rooms service sweep failed", e);
        }
    }

    /** Counts a request refused with {@code code}. */
    void count(ErrorCode code) {
        stats.rejected(switch (code) {
            case RATE_LIMITED -> RejectionReason.RATE_LIMITED;
            case TOO_LARGE -> RejectionReason.TOO_LARGE;
            case FORBIDDEN -> RejectionReason.FORBIDDEN;
            case NOT_SUBSCRIBED -> RejectionReason.NOT_SUBSCRIBED;
            case UNAVAILABLE -> RejectionReason.UNAVAILABLE;
            case UNAUTHORIZED -> RejectionReason.REFRESH_UNAUTHORIZED;
            default -> RejectionReason.INVALID;
        });
    }

    /** Stops the expiry timer; connections are left to the server's own shutdown. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
