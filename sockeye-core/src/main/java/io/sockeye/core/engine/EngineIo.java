package io.sockeye.core.engine;

import io.sockeye.core.ServerOptions;
import io.sockeye.core.spi.transport.EngineEndpoint;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Bare Engine.IO endpoints, without the Socket.IO layer: each new session is handed to the caller as
 * an {@link EngineSocket} to send text and binary messages on and to set a listener on. Serve one with
 * a transport ({@code NettyFrontend.builder().attachEngine(endpoint)}).
 *
 * <pre>{@code
 * EngineEndpoint echo = EngineIo.endpoint(ServerOptions.defaults(), socket -> socket.setListener(new EngineListener() {
 *     public void onMessage(String text) { socket.send(text, List.of()); }
 *     public void onBinary(byte[] data) { socket.sendBinary(data); }
 *     public void onClose(String reason) { }
 * }));
 * }</pre>
 */
public final class EngineIo {

    private EngineIo() {
    }

    /**
     * An endpoint with {@code options} (path, heartbeat, limits, CORS...) whose new sessions go to
     * {@code onConnection}, on the session's event loop (must not block).
     */
    public static EngineEndpoint endpoint(ServerOptions options, Consumer<EngineSocket> onConnection) {
        return endpoint(options, onConnection, EngineTimer.shared());
    }

    /** The same with its own timer: tests drive heartbeats and timeouts with a manual one. */
    public static EngineEndpoint endpoint(ServerOptions options, Consumer<EngineSocket> onConnection, EngineTimer timer) {
        return new EngineEndpointImpl(Objects.requireNonNull(options, "options"),
                Objects.requireNonNull(onConnection, "onConnection"), Objects.requireNonNull(timer, "timer"));
    }
}
