package io.sockeye.core;

/**
 * The reasons passed to {@link Socket#onDisconnect} and {@link Socket#onDisconnecting}, spelled
 * exactly as socket.io spells them.
 */
public final class DisconnectReason {

    /** The server called {@link Socket#disconnect()}. */
    public static final String SERVER_NAMESPACE_DISCONNECT = "server namespace disconnect";
    /** The client left the namespace ({@code socket.disconnect()} in the client). */
    public static final String CLIENT_NAMESPACE_DISCONNECT = "client namespace disconnect";
    /** The transport was closed (the user closed the tab, the network dropped...). */
    public static final String TRANSPORT_CLOSE = "transport close";
    /** The transport failed (e.g. a message over {@code maxHttpBufferSize}). */
    public static final String TRANSPORT_ERROR = "transport error";
    /** The client did not answer a ping in time. */
    public static final String PING_TIMEOUT = "ping timeout";
    /** The client sent a packet that could not be decoded. */
    public static final String PARSE_ERROR = "parse error";
    /** The Engine.IO session was closed by the server. */
    public static final String FORCED_CLOSE = "forced close";
    /** The server closed the whole connection ({@code disconnect(true)} or an invalid packet sequence). */
    public static final String FORCED_SERVER_CLOSE = "forced server close";
    /** {@link SocketIoServer#close()} was called. */
    public static final String SERVER_SHUTTING_DOWN = "server shutting down";
    /**
     * Sockeye: a new connection restored this socket's session by connection state recovery while this
     * one still looked connected (a half-open connection whose ping timeout had not fired yet). The
     * session belongs to the new socket; this one leaves without saving or deleting it.
     */
    public static final String SESSION_TAKEN_OVER = "session taken over";
    /** Client-side only: the client called {@code socket.disconnect()}; never seen by the server. */
    public static final String IO_CLIENT_DISCONNECT = "io client disconnect";
    /** Client-side only: the server disconnected the client. */
    public static final String IO_SERVER_DISCONNECT = "io server disconnect";

    private DisconnectReason() {
    }
}
