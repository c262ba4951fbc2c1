package io.sockeye.server.limits;

/**
 * Why something was refused; each value is one counter of {@link Stats} (named by {@link #key()}, the
 * label the metrics export uses).
 */
public enum RejectionReason {
    /** A client request over the connection's event rate ({@code rate_limited}). */
    RATE_LIMITED("rate_limited"),
    /** A connection disconnected after {@code abuseDisconnectAfter} rate-limited requests in a row. */
    ABUSE_DISCONNECT("abuse_disconnect"),
    /** A publish whose data was over {@code maxPayloadBytes} ({@code too_large}). */
    TOO_LARGE("too_large"),
    /** A subscribe past {@code maxRoomsPerConnection}. */
    ROOM_LIMIT("room_limit"),
    /** A malformed request: bad room name, reserved event, wrong arguments ({@code invalid}). */
    INVALID("invalid"),
    /** A request the permissions refused ({@code forbidden}). */
    FORBIDDEN("forbidden"),
    /** An unsubscribe from a room the connection is not in ({@code not_subscribed}). */
    NOT_SUBSCRIBED("not_subscribed"),
    /** A refresh with a bad token ({@code unauthorized}). */
    REFRESH_UNAUTHORIZED("refresh_unauthorized"),
    /** A cluster-wide query that failed ({@code unavailable}). */
    UNAVAILABLE("unavailable"),
    /** A request a backend refused (subscribe, publish, rpc proxy answering {@code {error}}). */
    BACKEND_REFUSED("backend_refused"),
    /** A request answered {@code unavailable} because its backend or broker could not answer. */
    BACKEND_UNAVAILABLE("backend_unavailable"),
    /** A handshake refused for a missing or invalid token. */
    HANDSHAKE_UNAUTHORIZED("handshake_unauthorized"),
    /** A handshake refused past {@code maxConnectionsPerIp}. */
    CONNECTIONS_PER_IP("connections_per_ip"),
    /** A handshake refused past {@code maxConnectionsPerUser}. */
    CONNECTIONS_PER_USER("connections_per_user"),
    /** A new session refused (HTTP 503) past {@code handshakesPerSecond}. */
    HANDSHAKE_RATE_GLOBAL("handshake_rate_global"),
    /** A new session refused (HTTP 503) past {@code handshakesPerSecondPerIp}. */
    HANDSHAKE_RATE_IP("handshake_rate_ip"),
    /** A connection disconnected because its token expired without a refresh. */
    TOKEN_EXPIRED("token_expired"),
    /** An HTTP API request without the right API key (401). */
    API_UNAUTHORIZED("api_unauthorized"),
    /** An HTTP API request body over {@code apiMaxBodyBytes} (413). */
    API_TOO_LARGE("api_too_large"),
    /** Any other refused HTTP API request (400, 404, 405, 503). */
    API_BAD_REQUEST("api_bad_request");

    private final String key;

    RejectionReason(String key) {
        this.key = key;
    }

    /** The stable, snake_case name used in {@code /api/stats} and metrics. */
    public String key() {
        return key;
    }
}
