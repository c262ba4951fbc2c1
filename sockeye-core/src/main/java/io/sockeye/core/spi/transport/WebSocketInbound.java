package io.sockeye.core.spi.transport;

/**
 * The engine's end of one WebSocket connection, returned by {@link EngineEndpoint#openWebSocket} and
 * {@link EngineEndpoint#upgradeWebSocket}: the transport reports every complete message and the end of
 * the connection here. Calls may come from any thread (the engine hands them to the session's event
 * loop), in the order the connection received them.
 */
public interface WebSocketInbound {

    /** A complete text message (already checked as valid UTF-8). */
    void onText(String text);

    /** A complete binary message; the array is handed over. */
    void onBinary(byte[] data);

    /** The connection closed ({@code error}: it failed). Reported once; later calls are ignored. */
    void onClosed(boolean error);
}
