package io.sockeye.emitter;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * How an emitter reaches the nodes: one implementation per cluster adapter wire. Every method starts the
 * publish and returns; the future completes when the bus took it (or fails when it could not).
 */
interface EmitterBus extends AutoCloseable {

    /** Who an operation addresses: a namespace, its rooms (none: everyone) minus {@code except}. */
    record Target(String nsp, Set<String> rooms, Set<String> except, boolean isVolatile) {
        public Target {
            rooms = Set.copyOf(rooms);
            except = Set.copyOf(except);
        }
    }

    CompletableFuture<Void> broadcast(Target target, List<Object> eventAndArgs);

    CompletableFuture<Void> socketsJoin(Target target, Set<String> rooms);

    CompletableFuture<Void> socketsLeave(Target target, Set<String> rooms);

    CompletableFuture<Void> disconnectSockets(Target target, boolean close);

    @Override
    void close();
}
