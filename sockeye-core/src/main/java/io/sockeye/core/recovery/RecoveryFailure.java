package io.sockeye.core.recovery;

/**
 * Why a recovery attempt ended with {@code recovered:false} (a fresh socket), as reported to
 * {@link io.sockeye.core.metrics.SockeyeMetrics#recoveryFailed}. The client is told nothing more than
 * {@code recovered:false}: it cannot act on the difference.
 */
public final class RecoveryFailure {

    /** The pid or offset in the CONNECT auth is not a well-formed string. */
    public static final String MALFORMED = "malformed";
    /** No session with that pid (never existed, already restored, of another namespace, or lost). */
    public static final String UNKNOWN_SESSION = "unknown_session";
    /** The session existed but the recovery window had passed. */
    public static final String EXPIRED = "expired";
    /** The offset is from another epoch of the stream (history state was lost since). */
    public static final String OTHER_EPOCH = "epoch";
    /** The offset is ahead of the stream: it was never handed out. */
    public static final String AHEAD = "ahead";
    /** Events the client missed were already evicted from the history. */
    public static final String PRUNED = "pruned";
    /** A middleware that runs on recovery rejected the socket (it got {@code connect_error}). */
    public static final String REJECTED = "rejected";
    /** The session or history store failed. */
    public static final String UNAVAILABLE = "unavailable";
    /** The connection closed while the session was being restored. */
    public static final String CLOSED = "closed";

    private RecoveryFailure() {
    }
}
