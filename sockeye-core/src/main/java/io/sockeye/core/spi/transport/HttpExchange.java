package io.sockeye.core.spi.transport;

/**
 * One long-polling HTTP request as the transport hands it to the engine; implemented by the transport.
 * The engine answers each exchange exactly once (one {@code send*} call, from any thread), unless the
 * connection closed first ({@link #whenAborted}); an implementation sends the first answer and ignores
 * any later call.
 */
public interface HttpExchange {

    /** 200, {@code text/plain; charset=UTF-8}: a polling payload. */
    void sendPayload(String payload);

    /** 200 for a handshake: the open packet payload, plus the sticky cookie when configured. */
    void sendHandshake(String payload, String sid);

    /** 200 {@code ok} ({@code text/html}, as engine.io answers POSTs). */
    void sendOk();

    /** An Engine.IO error as JSON with its HTTP status. */
    void sendError(EngineError.Rejection rejection);

    /** A bare status with an empty body (e.g. 400 for an overlapping poll, 413 for an oversize body). */
    void sendStatus(int status);

    /** Runs {@code onClose} if the connection closes before a response was sent. */
    void whenAborted(Runnable onClose);
}
