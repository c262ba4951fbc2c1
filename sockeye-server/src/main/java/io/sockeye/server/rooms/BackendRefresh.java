package io.sockeye.server.rooms;

import io.sockeye.server.limits.RejectionReason;
import io.sockeye.server.limits.Stats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletionException;

/**
 * The end of a session the connect backend admitted: the refresh backend extends it, or refuses (the client
 * is told why and disconnected). When the backend cannot answer, the session stays and is asked again after
 * {@value #RETRY_MILLIS} ms, so an outage of the backend does not drop every connection.
 */
final class BackendRefresh {

    private static final Logger log = LoggerFactory.getLogger(BackendRefresh.class);
    /** How soon a session is refreshed again when the refresh backend could not answer. */
    static final long RETRY_MILLIS = 10_000;

    private final RoomsService service;
    private final Stats stats;
    private final Clock clock;

    BackendRefresh(RoomsService service, Stats stats, Clock clock) {
        this.service = service;
        this.stats = stats;
        this.clock = clock;
    }

    void refresh(ClientSession session, RoomsHooks hooks) {
        hooks.refresh(session.caller()).whenComplete((expiresAt, error) -> {
            if (error == null) {
                service.refreshed(session, session.principal(), expiresAt);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof BackendRefusal refusal) {
                if (session.kick()) {
                    stats.rejected(RejectionReason.TOKEN_EXPIRED);
                    service.kick(session, refusal.code(), refusal.getMessage());
                }
            } else {
                log.debug("refresh backend unavailable for socket {}; asking again in {} ms", session.id(), RETRY_MILLIS);
                service.refreshed(session, session.principal(), Instant.ofEpochMilli(clock.millis() + RETRY_MILLIS));
            }
        });
    }
}
