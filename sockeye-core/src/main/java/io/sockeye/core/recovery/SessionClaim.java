package io.sockeye.core.recovery;

import java.util.Objects;

/**
 * The outcome of {@link SessionStore#claim}: the record, now removed from the store, or why there was
 * none.
 *
 * @param record  the claimed record, or {@code null}
 * @param failure when {@code record} is null: {@link RecoveryFailure#UNKNOWN_SESSION} or
 *                {@link RecoveryFailure#EXPIRED} (a store that cannot tell says unknown)
 */
public record SessionClaim(SessionRecord record, String failure) {

    private static final SessionClaim UNKNOWN = new SessionClaim(null, RecoveryFailure.UNKNOWN_SESSION);
    private static final SessionClaim EXPIRED = new SessionClaim(null, RecoveryFailure.EXPIRED);

    public SessionClaim {
        if ((record == null) == (failure == null)) {
            throw new IllegalArgumentException("a claim has either a record or a failure");
        }
    }

    public static SessionClaim of(SessionRecord record) {
        return new SessionClaim(Objects.requireNonNull(record, "record"), null);
    }

    public static SessionClaim unknown() {
        return UNKNOWN;
    }

    public static SessionClaim expired() {
        return EXPIRED;
    }

    public boolean claimed() {
        return record != null;
    }
}
