package io.sockeye.server.rooms;

import io.sockeye.core.ConnectError;
import io.sockeye.core.Middleware;
import io.sockeye.core.Next;
import io.sockeye.core.Socket;
import io.sockeye.server.auth.AuthException;
import io.sockeye.server.auth.Principal;
import io.sockeye.server.auth.TokenVerifier;
import io.sockeye.server.auth.VerifiedToken;
import io.sockeye.server.limits.ConnectionLimits;
import io.sockeye.server.limits.LimitsSettings;
import io.sockeye.server.limits.RejectionReason;
import io.sockeye.server.limits.Stats;
import io.sockeye.server.limits.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The namespace middleware that admits a connection (docs/client-protocol.md, "Connecting" and "Limits"): reads the token from the
 * CONNECT payload ({@code auth.token}), verifies it without blocking the event loop, then takes the
 * connection's per-IP and per-user slots. Refusals reach the client as {@code connect_error}:
 * <ul>
 *   <li>{@code message: "unauthorized", data: {reason}} for a missing (when anonymous connections are not
 *       allowed) or invalid token — "reject before the connection joins the namespace";</li>
 *   <li>{@code message: "rate_limited", data: {reason}} past {@code maxConnectionsPerIp} or
 *       {@code maxConnectionsPerUser}.</li>
 * </ul>
 * An admitted connection's session is handed to {@code admitted} before {@code next.proceed()}.
 */
final class HandshakeAuth implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(HandshakeAuth.class);

    private final TokenVerifier verifier;
    private final boolean anonymousAllowed;
    private final ConnectionLimits connectionLimits;
    private final LimitsSettings limits;
    private final Stats stats;
    private final Clock clock;
    private final Consumer<ClientSession> admitted;
    private final RoomsHooks hooks;

    HandshakeAuth(TokenVerifier verifier, boolean anonymousAllowed, ConnectionLimits connectionLimits,
                  LimitsSettings limits, Stats stats, Clock clock, Consumer<ClientSession> admitted) {
        this(verifier, anonymousAllowed, connectionLimits, limits, stats, clock, admitted, RoomsHooks.NONE);
    }

    /** @param hooks a connect backend admitting connections instead of the JWT check, as it says ({@link RoomsHooks#admits}) */
    HandshakeAuth(TokenVerifier verifier, boolean anonymousAllowed, ConnectionLimits connectionLimits,
                  LimitsSettings limits, Stats stats, Clock clock, Consumer<ClientSession> admitted, RoomsHooks hooks) {
        this.hooks = hooks;
        this.verifier = verifier;
        this.anonymousAllowed = anonymousAllowed;
        this.connectionLimits = connectionLimits;
        this.limits = limits;
        this.stats = stats;
        this.clock = clock;
        this.admitted = admitted;
    }

    @Override
    public void handle(Socket socket, Next next) {
        Object token = socket.handshake().auth().get("token");
        if (hooks.admits(token != null && !"".equals(token))) {
            askBackend(socket, next);
            return;
        }
        if (token == null || "".equals(token)) {
            if (!anonymousAllowed) {
                refuse(socket, next, "missing token");
                return;
            }
            admit(socket, next, Principal.anonymous(), null);
            return;
        }
        if (!(token instanceof String jwt)) {
            refuse(socket, next, "token must be a string");
            return;
        }
        // Verification may fetch a JWKS: it completes later, on another thread; Next may be called from any.
        verifier.verify(jwt).whenComplete((verified, error) -> {
            if (error != null) {
                refuse(socket, next, reason(error));
            } else {
                admit(socket, next, principalOf(verified), verified.expiresAt());
            }
        });
    }

    /**
     * The connect backend decides: its refusal reaches the client as {@code connect_error} with the backend's
     * message and {@code data.code}; no usable answer as {@code data.code: "unavailable"}.
     */
    private void askBackend(Socket socket, Next next) {
        RoomsHooks.ConnectAttempt attempt = new RoomsHooks.ConnectAttempt(socket.id(), socket.transport(),
                socket.handshake().address(), socket.handshake().headers(), socket.handshake().auth());
        hooks.connect(attempt).whenComplete((admission, error) -> {
            if (error != null) {
                stats.rejected(RejectionReason.HANDSHAKE_UNAUTHORIZED);
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof BackendRefusal refusal) {
                    log.debug("connect backend refused socket {}: {} {}", socket.id(), refusal.code(), refusal.getMessage());
                    next.reject(new ConnectError(refusal.getMessage(), Map.of("code", refusal.code())));
                } else {
                    log.debug("connect backend unavailable for socket {}: {}", socket.id(), cause.toString());
                    next.reject(new ConnectError("authentication backend unavailable", Map.of("code",
                            ErrorCode.UNAVAILABLE.code())));
                }
                return;
            }
            if (admission.expiresAt() != null && !admission.expiresAt().isAfter(clock.instant())) {
                refuse(socket, next, "session expired");
                return;
            }
            if (admission.data() != null) {
                socket.data().put("data", admission.data()); // shown in presence (fetchSockets reads socket.data)
            }
            admit(socket, next, new Principal(admission.user(), admission.grants()), admission.expiresAt(),
                    admission.meta(), true);
        });
    }

    static Principal principalOf(VerifiedToken token) {
        return Principal.of(token);
    }

    /** The client-readable reason of a failed verification; never the token itself. */
    static String reason(Throwable error) {
        AuthException auth = AuthException.from(error);
        if (auth.getCause() != null) {
            log.debug("token verification failed unexpectedly", auth.getCause());
        }
        return auth.reason();
    }

    private void refuse(Socket socket, Next next, String reason) {
        stats.rejected(RejectionReason.HANDSHAKE_UNAUTHORIZED);
        log.debug("refusing socket {} from {}: {}", socket.id(), socket.handshake().address(), reason);
        next.reject(new ConnectError("unauthorized", Map.of("reason", reason)));
    }

    private void admit(Socket socket, Next next, Principal principal, Instant expiresAt) {
        admit(socket, next, principal, expiresAt, null, false);
    }

    private void admit(Socket socket, Next next, Principal principal, Instant expiresAt, Object meta,
                       boolean byBackend) {
        String ip = socket.handshake().address();
        ConnectionLimits.Attempt attempt = connectionLimits.tryAcquire(ip, principal.userId());
        if (!attempt.acquired()) {
            stats.rejected(attempt.refusal());
            String reason = attempt.refusal() == RejectionReason.CONNECTIONS_PER_IP
                    ? "too many connections from this address (max " + limits.maxConnectionsPerIp() + ")"
                    : "too many connections for this user (max " + limits.maxConnectionsPerUser() + ")";
            log.debug("refusing socket {} from {}: {}", socket.id(), ip, reason);
            next.reject(new ConnectError("rate_limited", Map.of("reason", reason)));
            return;
        }
        TokenBucket bucket = new TokenBucket(limits.eventsPerSecond(), limits.eventBurst(), clock);
        ClientSession session = new ClientSession(socket, principal, expiresAt, bucket, attempt.slot(), clock.millis(),
                meta, byBackend);
        // Kept in socket.data so that fetchSockets (presence, on every node of a cluster) can group by user.
        if (principal.userId() != null) {
            socket.data().put("user", principal.userId());
        }
        admitted.accept(session);
        next.proceed();
    }
}
