package io.sockeye.core.spi.transport;

/**
 * Engine.IO request errors (engine.io {@code Server.errors}): the HTTP answer is
 * {@code {"code":N,"message":"..."}} with Content-Type application/json.
 */
public enum EngineError {
    UNKNOWN_TRANSPORT(0, "Transport unknown", 400),
    UNKNOWN_SID(1, "Session ID unknown", 400),
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method", 400),
    BAD_REQUEST(3, "Bad request", 400),
    FORBIDDEN(4, "Forbidden", 403),
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", 400);

    private final int code;
    private final String message;
    private final int httpStatus;

    EngineError(int code, String message, int httpStatus) {
        this.code = code;
        this.message = message;
        this.httpStatus = httpStatus;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The snake_case name used as a metrics label, e.g. {@code unknown_sid}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The JSON body, with {@code message} overriding the default text when non-null. */
    public String json(String message) {
        String m = message != null ? message : this.message;
        return "{\"code\":" + code + ",\"message\":\"" + escape(m) + "\"}";
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** A verification failure: the error and an optional message override (used by {@code allowRequest}). */
    public record Rejection(EngineError error, String message) {
        public Rejection(EngineError error) {
            this(error, null);
        }

        public int httpStatus() {
            return error.httpStatus();
        }

        public String json() {
            return error.json(message);
        }
    }
}
