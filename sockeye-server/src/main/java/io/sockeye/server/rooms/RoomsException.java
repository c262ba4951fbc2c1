package io.sockeye.server.rooms;

/**
 * A request refused with one of the protocol's {@link ErrorCode}s; the message is shown to the client
 * as {@code error.message}, so it never contains tokens or payloads. Stackless: it is an answer, not a
 * bug.
 */
public final class RoomsException extends RuntimeException {

    private final ErrorCode code;

    public RoomsException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
