package io.sockeye.core.internal.socket;

import io.sockeye.core.Args;
import io.sockeye.core.SocketEmitter;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** A socket plus per-emit flags; immutable (socket.io keeps such flags on the socket itself, mutably). */
final class SocketEmitterImpl implements SocketEmitter {

    private final SocketImpl socket;
    private final Duration timeout;
    private final boolean isVolatile;
    private final boolean compress;

    SocketEmitterImpl(SocketImpl socket, Duration timeout, boolean isVolatile, boolean compress) {
        this.socket = socket;
        this.timeout = timeout;
        this.isVolatile = isVolatile;
        this.compress = compress;
    }

    @Override
    public void emit(String event, Object... args) {
        socket.send(event, args, isVolatile);
    }

    @Override
    public CompletableFuture<Args> emitWithAck(String event, Object... args) {
        return socket.sendWithAck(event, args, isVolatile, timeout);
    }

    @Override
    public SocketEmitter timeout(Duration value) {
        Objects.requireNonNull(value, "timeout");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + value);
        }
        return new SocketEmitterImpl(socket, value, isVolatile, compress);
    }

    @Override
    public SocketEmitter asVolatile() {
        return new SocketEmitterImpl(socket, timeout, true, compress);
    }

    // Carried for API parity; the transports decide on compression per connection.
    @Override
    public SocketEmitter compress(boolean value) {
        return new SocketEmitterImpl(socket, timeout, isVolatile, value);
    }
}
