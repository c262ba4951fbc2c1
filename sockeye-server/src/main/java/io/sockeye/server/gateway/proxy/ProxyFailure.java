package io.sockeye.server.gateway.proxy;

/**
 * Why a proxy call has no usable answer; the client is told {@code unavailable} whatever the reason, the
 * metrics ({@code sockeye_proxy_errors_total{error}}) and the debug log say which. Stackless: it is an
 * outcome, not a bug.
 */
public final class ProxyFailure extends RuntimeException {

    /** The reasons, each a value of the {@code error} label. */
    public enum Reason {
        /** No answer within the proxy's timeout. */
        TIMEOUT("timeout"),
        /** The backend could not be reached (refused, reset, name not resolved). */
        CONNECT("connect"),
        /** An HTTP status other than 200 (redirects are not followed). */
        STATUS("status"),
        /** The body is not a JSON object of the documented shape. */
        INVALID_ANSWER("invalid_answer"),
        /** The body is longer than {@code proxy.max_answer_bytes}. */
        TOO_LARGE("too_large"),
        /** {@code max_concurrency} calls were already in flight. */
        OVERLOADED("overloaded");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Reason reason;

    public ProxyFailure(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
