package io.sockeye.core.engine;

/**
 * Receives what one Engine.IO session delivers to the layer above (the Socket.IO client object).
 * Every call is made on the session's event loop ({@link EngineSocket#executor()}), in order.
 */
public interface EngineListener {

    /** A text {@code message} packet's payload (without the leading {@code 4}). */
    void onMessage(String text);

    /** A binary {@code message} packet's bytes. The array belongs to the listener. */
    void onBinary(byte[] data);

    /**
     * The session is closed and will deliver nothing more.
     *
     * @param reason one of the Engine.IO close reasons: {@code ping timeout}, {@code transport close},
     *               {@code transport error}, {@code parse error}, {@code forced close}
     */
    void onClose(String reason);

    /** The session's transport changed (polling → websocket upgrade completed). */
    default void onUpgrade(String transportName) {
    }
}
