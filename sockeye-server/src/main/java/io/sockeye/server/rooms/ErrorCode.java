package io.sockeye.server.rooms;

/**
 * The error codes of the client protocol and the HTTP API (docs/client-protocol.md), each with the HTTP status the
 * API answers it with.
 */
public enum ErrorCode {
    /** No valid token: missing, expired, badly signed, or a failed refresh. */
    UNAUTHORIZED("unauthorized", 401),
    /** The permissions do not allow it, or a per-connection limit (rooms) is reached. */
    FORBIDDEN("forbidden", 403),
    /** Malformed request: room name, event name, argument shape. */
    INVALID("invalid", 400),
    /** Payload over the size limit. */
    TOO_LARGE("too_large", 413),
    /** Over the request rate. */
    RATE_LIMITED("rate_limited", 429),
    /** Unsubscribe from a room the connection is not subscribed to. */
    NOT_SUBSCRIBED("not_subscribed", 404),
    /** A cluster-wide operation failed or the server cannot take it now. */
    UNAVAILABLE("unavailable", 503),
    /** HTTP API only: no such endpoint. */
    NOT_FOUND("not_found", 404),
    /** HTTP API only: the endpoint exists but not with this method. */
    METHOD_NOT_ALLOWED("method_not_allowed", 405);

    private final String code;
    private final int httpStatus;

    ErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The wire spelling, e.g. {@code rate_limited}. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
