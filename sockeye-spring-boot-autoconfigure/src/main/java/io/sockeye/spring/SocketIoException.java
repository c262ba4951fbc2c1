package io.sockeye.spring;

/**
 * Thrown by a handler to answer the client's ack with an error it may see:
 * {@code {"error": message}}, plus {@code "data"} when given. Other exceptions answer
 * {@code "internal error"}, so that server details never reach clients.
 */
public class SocketIoException extends RuntimeException {

    private final transient Object data;

    public SocketIoException(String message) {
        this(message, null);
    }

    /** @param data extra detail for the client, serialized with Jackson (may be {@code null}) */
    public SocketIoException(String message, Object data) {
        super(message);
        this.data = data;
    }

    /** Extra detail sent to the client, or {@code null}. */
    public Object data() {
        return data;
    }
}
