package io.sockeye.server.rooms;

import io.sockeye.core.Ack;
import io.sockeye.core.EventHandler;
import io.sockeye.core.Socket;
import io.sockeye.core.recovery.StreamPosition;
import io.sockeye.server.auth.Permissions;
import io.sockeye.server.auth.Principal;
import io.sockeye.server.auth.TokenVerifier;
import io.sockeye.server.limits.LimitsSettings;
import io.sockeye.server.limits.RejectionReason;
import io.sockeye.server.limits.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The client protocol's requests for one connection: {@code subscribe}, {@code unsubscribe},
 * {@code publish}, {@code presence}, {@code refresh}, {@code history}. Every request passes the connection's token bucket
 * first, needs an ack callback (without one it is ignored: there would be nobody to answer), has its
 * shape checked by {@link RoomsRequest#parse}, and is answered with exactly one {@link Replies} object.
 */
final class ClientRequests {

    private static final Logger log = LoggerFactory.getLogger(ClientRequests.class);

    /** The request events; any other event a client sends only spends its rate budget. */
    static final Set<String> REQUESTS = Set.of("subscribe", "unsubscribe", "publish", "presence", "refresh", "rpc",
            "history");

    @FunctionalInterface
    private interface Request<R extends RoomsRequest> {
        void handle(ClientSession session, R request, Ack ack);
    }

    private final RoomsService service;
    private final Permissions permissions;
    private final TokenVerifier verifier;
    private final LimitsSettings limits;
    private final Stats stats;

    ClientRequests(RoomsService service, Permissions permissions, TokenVerifier verifier, LimitsSettings limits,
                   Stats stats) {
        this.service = service;
        this.permissions = permissions;
        this.verifier = verifier;
        this.limits = limits;
        this.stats = stats;
    }

    /** Registers the request handlers on a newly connected socket. */
    void register(ClientSession session) {
        Socket socket = session.socket();
        socket.on("subscribe", handler(session, "subscribe", RoomsRequest.Subscribe.class, this::subscribe));
        socket.on("unsubscribe", handler(session, "unsubscribe", RoomsRequest.Unsubscribe.class, this::unsubscribe));
        socket.on("publish", handler(session, "publish", RoomsRequest.Publish.class, this::publish));
        socket.on("presence", handler(session, "presence", RoomsRequest.PresenceQuery.class, this::presence));
        socket.on("refresh", handler(session, "refresh", RoomsRequest.Refresh.class, this::refresh));
        socket.on("rpc", handler(session, "rpc", RoomsRequest.Rpc.class, this::rpc));
        socket.on("history", handler(session, "history", RoomsRequest.History.class, this::history));
        // Unknown events are not answered, but they cost the same budget: flooding with them is abuse too.
        socket.onAny((event, args) -> {
            if (!REQUESTS.contains(event) && !session.tryRequest()) {
                rateLimited(session);
            }
        });
    }

    private <R extends RoomsRequest> EventHandler handler(ClientSession session, String name, Class<R> type,
                                                          Request<R> request) {
        return (args, ack) -> {
            if (!session.tryRequest()) {
                if (ack.requested()) {
                    ack.send(Replies.error(ErrorCode.RATE_LIMITED, "too many requests, slow down"));
                }
                rateLimited(session);
                return;
            }
            if (!ack.requested()) {
                log.debug("ignoring '{}' without an ack callback from socket {}", name, session.id());
                return;
            }
            try {
                request.handle(session, type.cast(RoomsRequest.parse(name, args, limits.maxPayloadBytes())), ack);
            } catch (RoomsException e) {
                service.count(e.code());
                ack.send(Replies.error(e));
            }
        };
    }

    private void rateLimited(ClientSession session) {
        stats.rejected(RejectionReason.RATE_LIMITED);
        if (session.limitedInARow() >= limits.abuseDisconnectAfter()) {
            service.disconnectForAbuse(session);
        }
    }

    /**
     * A socket restored by connection state recovery is back in its rooms: they become the session's
     * subscriptions again as far as its (new) token grants them — or, for rooms no grant or rule decides,
     * a subscribe backend authorized them, which is not asked again; rooms it no longer may subscribe to,
     * and presence it may no longer see, are left.
     */
    void restoreSubscriptions(ClientSession session) {
        Socket socket = session.socket();
        Principal principal = session.principal();
        for (String room : socket.rooms()) {
            if (Names.isHidden(room)) {
                socket.leave(room); // presence watching: rejoined by the subscribe below where still granted
            } else if (!room.equals(socket.id()) && !room.equals(session.personalRoom())) {
                boolean allowed = permissions.canSubscribe(principal, room)
                        || permissions.subscribeDecision(principal, room) == Permissions.Decision.UNDECIDED
                        && service.hooks().authorizesSubscribe(room);
                if (allowed && session.subscriptionCount() < limits.maxRoomsPerConnection()) {
                    service.subscribe(session, room, null, null, reply -> { });
                } else {
                    socket.leave(room);
                }
            }
        }
    }

    // ---- requests: RoomsRequest.parse has checked their shape -------------------------------------

    private void subscribe(ClientSession session, RoomsRequest.Subscribe request, Ack ack) {
        String room = request.room();
        Principal principal = session.principal();
        if (session.isSubscribed(room)) { // nothing to authorize again; a since still catches up
            service.subscribe(session, room, since(request), null, ack::send);
            return;
        }
        if (!roomSlotLeft(session, ack)) {
            return;
        }
        RoomsHooks hooks = service.hooks();
        if (permissions.subscribeDecision(principal, room) == Permissions.Decision.UNDECIDED
                && hooks.authorizesSubscribe(room)) {
            StreamPosition since = since(request); // a bad offset is answered before the backend is asked
            hooks.subscribe(session.caller(), room, request.data()).whenComplete((data, error) -> {
                if (error != null) {
                    refusedByBackend(ack, error, "subscribe");
                } else if (!session.closed() && roomSlotLeft(session, ack)) { // another subscribe may have taken it
                    service.subscribe(session, room, since, data, ack::send);
                }
            });
            return;
        }
        if (!permissions.canSubscribe(principal, room)) {
            throw new RoomsException(ErrorCode.FORBIDDEN, "not allowed to subscribe to " + room);
        }
        service.subscribe(session, room, since(request), null, ack::send);
    }

    /** The request's {@code since} as a position, null without one; {@code invalid} when it is not an offset. */
    private StreamPosition since(RoomsRequest.Subscribe request) {
        return request.since() == null ? null : service.position(request.since());
    }

    private boolean roomSlotLeft(ClientSession session, Ack ack) {
        if (session.subscriptionCount() >= limits.maxRoomsPerConnection()) {
            stats.rejected(RejectionReason.ROOM_LIMIT);
            ack.send(Replies.error(ErrorCode.FORBIDDEN,
                    "room limit reached: at most " + limits.maxRoomsPerConnection() + " rooms per connection"));
            return false;
        }
        return true;
    }

    /**
     * Answers a request whose backend call failed: the backend's own refusal as it is, anything else
     * (down, slow, a bad answer) as {@code unavailable}.
     */
    private void refusedByBackend(Ack ack, Throwable error, String what) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof BackendRefusal refusal) {
            stats.rejected(RejectionReason.BACKEND_REFUSED);
            ack.send(Replies.error(refusal.code(), refusal.getMessage()));
        } else if (cause instanceof RoomsException e) {
            service.count(e.code());
            ack.send(Replies.error(e));
        } else {
            stats.rejected(RejectionReason.BACKEND_UNAVAILABLE);
            ack.send(Replies.error(ErrorCode.UNAVAILABLE, "the " + what + " backend is unavailable, try again"));
        }
    }

    private void history(ClientSession session, RoomsRequest.History request, Ack ack) {
        String room = request.room();
        if (!permissions.canSubscribe(session.principal(), room)) {
            throw new RoomsException(ErrorCode.FORBIDDEN, "not allowed to read the history of " + room);
        }
        StreamPosition since = request.since() == null ? null : service.position(request.since());
        service.history(room, since, request.limit()).whenComplete((reply, error) -> {
            if (error != null) {
                service.count(ErrorCode.UNAVAILABLE);
                ack.send(Replies.error(ErrorCode.UNAVAILABLE, "the history is unavailable right now"));
            } else {
                ack.send(reply);
            }
        });
    }

    private void unsubscribe(ClientSession session, RoomsRequest.Unsubscribe request, Ack ack) {
        String room = request.room();
        if (!session.isSubscribed(room)) {
            throw new RoomsException(ErrorCode.NOT_SUBSCRIBED, "not subscribed to " + room);
        }
        service.unsubscribe(session, room, () -> ack.send(Replies.ok("room", room)));
    }

    private void publish(ClientSession session, RoomsRequest.Publish request, Ack ack) {
        String room = request.room();
        RoomsHooks hooks = service.hooks();
        // "Publishing requires publish permission on the room, not a subscription"; a publish backend decides
        // the rooms no grant or rule does.
        boolean allowed = hooks.validatesPublish(room)
                ? permissions.publishDecision(session.principal(), room) != Permissions.Decision.DENY
                : permissions.canPublish(session.principal(), room);
        if (!allowed) {
            throw new RoomsException(ErrorCode.FORBIDDEN, "not allowed to publish to " + room);
        }
        if (!hooks.interceptsPublish(room)) {
            answer(ack, service.publish(room, request.event(), request.data(), session.user()));
            return;
        }
        // Validated and forwarded first: nothing is broadcast that a backend refused or a broker did not take.
        String id = service.nextMessageId();
        hooks.publish(session.caller(), room, request.event(), request.data(), id).whenComplete((data, error) -> {
            if (error != null) {
                refusedByBackend(ack, error, "publish");
                return;
            }
            try {
                answer(ack, service.publish(room, request.event(), data, session.user(), id));
            } catch (RoomsException e) {
                service.count(e.code());
                ack.send(Replies.error(e));
            }
        });
    }

    /** Sends a publish's answer once its offset is known ({@link Published#reply}; its failure is a RoomsException). */
    private void answer(Ack ack, Published published) {
        published.reply().whenComplete((reply, error) -> {
            if (error == null) {
                ack.send(reply);
            } else {
                refusedByBackend(ack, error, "publish");
            }
        });
    }

    private void rpc(ClientSession session, RoomsRequest.Rpc request, Ack ack) {
        RoomsHooks hooks = service.hooks();
        if (!hooks.servesRpc()) {
            throw new RoomsException(ErrorCode.UNAVAILABLE, "rpc is not configured on this server");
        }
        hooks.rpc(session.caller(), request.method(), request.data(), service.nextMessageId())
                .whenComplete((result, error) -> {
                    if (error != null) {
                        refusedByBackend(ack, error, "rpc");
                    } else {
                        ack.send(Replies.ok("result", result));
                    }
                });
    }

    private void presence(ClientSession session, RoomsRequest.PresenceQuery request, Ack ack) {
        String room = request.room();
        if (!permissions.presenceEnabled(room)) {
            throw new RoomsException(ErrorCode.FORBIDDEN, "presence is not enabled for " + room);
        }
        if (!permissions.canSeePresence(session.principal(), room)) {
            throw new RoomsException(ErrorCode.FORBIDDEN, "not allowed to see the presence of " + room);
        }
        service.presence(room).whenComplete((presence, error) -> {
            if (error != null) {
                service.count(ErrorCode.UNAVAILABLE);
                ack.send(Replies.error(ErrorCode.UNAVAILABLE, "presence is unavailable right now"));
            } else {
                ack.send(presence.toReply());
            }
        });
    }

    private void refresh(ClientSession session, RoomsRequest.Refresh request, Ack ack) {
        String token = request.token();
        if (session.user() == null) {
            throw new RoomsException(ErrorCode.UNAUTHORIZED, "an anonymous connection has no token to refresh");
        }
        verifier.verify(token).whenComplete((verified, error) -> {
            if (error != null) {
                stats.rejected(RejectionReason.REFRESH_UNAUTHORIZED);
                ack.send(Replies.error(ErrorCode.UNAUTHORIZED, HandshakeAuth.reason(error)));
            } else if (!session.user().equals(verified.subject())) {
                stats.rejected(RejectionReason.FORBIDDEN);
                ack.send(Replies.error(ErrorCode.FORBIDDEN, "the new token is for another user"));
            } else {
                service.refreshed(session, HandshakeAuth.principalOf(verified), verified.expiresAt());
                ack.send(Replies.ok("exp", verified.expiresAt() == null ? null : verified.expiresAt().getEpochSecond()));
            }
        });
    }
}
