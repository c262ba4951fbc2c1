package io.sockeye.core;

/**
 * A middleware's refusal of a connection. The client receives
 * {@code CONNECT_ERROR {"message": message, "data": data}} ({@code data} omitted when null), and
 * socket.io clients raise it as {@code connect_error} with {@code err.data}.
 */
public class ConnectError extends RuntimeException {

    private final transient Object data;

    public ConnectError(String message) {
        this(message, null);
    }

    /** @param data any JSON-serializable value, or {@code null} */
    public ConnectError(String message, Object data) {
        super(message, null, false, false);
        this.data = data;
    }

    /** Extra details for the client, or {@code null}. */
    public Object data() {
        return data;
    }
}
