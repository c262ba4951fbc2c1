package io.sockeye.server.rooms;

/**
 * A backend's refusal: its {@code {error: {code, message}}} answer, passed to the client as it is (the
 * ack's {@code error}, or {@code connect_error} with the message and {@code data.code}). Stackless: an
 * answer, not a bug.
 */
public final class BackendRefusal extends RuntimeException {

    private final String code;

    public BackendRefusal(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
