package io.sockeye.server.rooms;

import io.sockeye.core.Ack;
import io.sockeye.core.EventHandler;
import io.sockeye.core.Socket;
import io.sockeye.server.auth.Permissions;
import io.sockeye.server.auth.Principal;
import io.sockeye.server.auth.TokenVerifier;
import io.sockeye.server.limits.LimitsSettings;
import io.sockeye.server.limits.RejectionReason;
import io.sockeye.server.limits.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * The client protocol's requests for one connection: {@code subscribe}, {@code unsubscribe},
 * {@code publish}, {@code presence}, {@code refresh}. Every request passes the connection's token bucket
 * first, needs an ack callback (without one it is ignored: there would be nobody to answer), has its
 * shape checked by {@link RoomsRequest#parse}, and is answered with exactly one {@link Replies} object.
 */
final class ClientRequests {

    private static final Logger log = LoggerFactory.getLogger(ClientRequests.class);

    /** The request events; any other event a client sends only spends its rate budget. */
    static final Set<String> REQUESTS = Set.of("subscribe", "unsubscribe", "publish", "presence", "refresh");

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

    // ---- requests: RoomsRequest.parse has checked their shape -------------------------------------

    private void subscribe(ClientSession session, RoomsRequest.Subscribe request, Ack ack) {
        String room = request.room();
        Principal principal = session.principal();
        if (!session.isSubscribed(room)) {
            if (session.subscriptionCount() >= limits.maxRoomsPerConnection()) {
                stats.rejected(RejectionReason.ROOM_LIMIT);
                ack.send(Replies.error(ErrorCode.FORBIDDEN,
                        "room limit reached: at most " + limits.maxRoomsPerConnection() + " rooms per connection"));
                return;
            }
            if (!permissions.canSubscribe(principal, room)) {
                throw new RoomsException(ErrorCode.FORBIDDEN, "not allowed to subscribe to " + room);
            }
            service.subscribe(session, room, () -> ack.send(Replies.ok("room", room)));
            return;
        }
        ack.send(Replies.ok("room", room));
    }

    private void unsubscribe(ClientSession session, RoomsRequest.Unsubscribe request, Ack ack) {
        String room = request.room();
        if (!session.isSubscribed(room)) {
            throw new RoomsException(ErrorCode.NOT_SUBSCRIBED, "not subscribed to " + room);
        }
        service.unsubscribe(session, room, () -> ack.send(Replies.ok("room", room)));
    }

    private void publish(ClientSession session, RoomsRequest.Publish request, Ack ack) {
        // "Publishing requires publish permission on the room, not a subscription."
        if (!permissions.canPublish(session.principal(), request.room())) {
            throw new RoomsException(ErrorCode.FORBIDDEN, "not allowed to publish to " + request.room());
        }
        String id = service.publish(request.room(), request.event(), request.data(), session.user());
        ack.send(Replies.ok("id", id));
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
