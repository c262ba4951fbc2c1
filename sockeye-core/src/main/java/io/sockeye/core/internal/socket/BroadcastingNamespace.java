package io.sockeye.core.internal.socket;

import io.sockeye.core.Args;
import io.sockeye.core.BroadcastOperator;
import io.sockeye.core.Namespace;
import io.sockeye.core.RemoteSocket;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The namespace-level broadcast shorthands ({@code nsp.to(room)}, {@code nsp.emit(...)}, ...), each
 * a call on a fresh operator over the namespace's sockets. Shared by static and parent namespaces.
 */
abstract class BroadcastingNamespace implements Namespace {

    /** An operator selecting every socket of this namespace (a parent: of all its children). */
    abstract BroadcastOperator operator();

    @Override
    public BroadcastOperator to(String... rooms) {
        return operator().to(rooms);
    }

    @Override
    public BroadcastOperator to(Collection<String> rooms) {
        return operator().to(rooms);
    }

    @Override
    public BroadcastOperator in(String... rooms) {
        return operator().in(rooms);
    }

    @Override
    public BroadcastOperator except(String... rooms) {
        return operator().except(rooms);
    }

    @Override
    public BroadcastOperator asVolatile() {
        return operator().asVolatile();
    }

    @Override
    public BroadcastOperator local() {
        return operator().local();
    }

    @Override
    public BroadcastOperator compress(boolean compress) {
        return operator().compress(compress);
    }

    @Override
    public BroadcastOperator timeout(Duration timeout) {
        return operator().timeout(timeout);
    }

    @Override
    public void emit(String event, Object... args) {
        operator().emit(event, args);
    }

    @Override
    public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
        return operator().emitWithAck(event, args);
    }

    @Override
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return operator().fetchSockets();
    }

    @Override
    public void socketsJoin(String... rooms) {
        operator().socketsJoin(rooms);
    }

    @Override
    public void socketsLeave(String... rooms) {
        operator().socketsLeave(rooms);
    }

    @Override
    public void disconnectSockets(boolean close) {
        operator().disconnectSockets(close);
    }
}
