package io.sockeye.server.rooms;

/**
 * A request refused with one of the protocol's {@link ErrorCode}s; the message is shown to the client
 * as {@code error.message}, so it never contains tokens or payloads. Stackless: it is an answer, not a
 * bug.
 */
public final class RoomsException extends RuntimeException {

    private final ErrorCode code;
    private final Object id;

    public RoomsException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * A refusal that still did something worth naming: {@code id} (a message id, or a list of them) goes
     * into the reply beside the error, e.g. a publish delivered on this node only during a bus outage.
     */
    public RoomsException(ErrorCode code, String message, Object id) {
        super(message, null, false, false);
        this.code = code;
        this.id = id;
    }

    public ErrorCode code() {
        return code;
    }

    /** The message id(s) the failed request still produced, or {@code null}. */
    public Object id() {
        return id;
    }
}
