package io.sockeye.emitter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Who to reach in one namespace, like socket.io's {@code BroadcastOperator}: {@link #to rooms},
 * {@link #except rooms}, {@link #volatile_() volatile}; each call returns a new operator. The actions
 * ({@link #emit}, {@link #socketsJoin}, {@link #socketsLeave}, {@link #disconnectSockets}) apply on every node
 * and complete once the bus took them. Immutable and thread-safe.
 */
public final class EmitterOperator {

    /** Event names socket.io reserves: a client could never tell them from its own connection's events. */
    private static final Set<String> RESERVED = Set.of("connect", "connect_error", "disconnect", "disconnecting",
            "newListener", "removeListener");

    private final EmitterBus bus;
    private final EmitterBus.Target target;

    EmitterOperator(EmitterBus bus, String nsp) {
        this(bus, new EmitterBus.Target(nsp, Set.of(), Set.of(), false));
    }

    private EmitterOperator(EmitterBus bus, EmitterBus.Target target) {
        this.bus = bus;
        this.target = target;
    }

    /** Only the sockets in these rooms (added to those already named); no room at all means everyone. */
    public EmitterOperator to(String... rooms) {
        return new EmitterOperator(bus, new EmitterBus.Target(target.nsp(), union(target.rooms(), rooms),
                target.except(), target.isVolatile()));
    }

    /** Same as {@link #to}. */
    public EmitterOperator in(String... rooms) {
        return to(rooms);
    }

    /** Not the sockets in these rooms. */
    public EmitterOperator except(String... rooms) {
        return new EmitterOperator(bus, new EmitterBus.Target(target.nsp(), target.rooms(),
                union(target.except(), rooms), target.isVolatile()));
    }

    /** The event may be dropped for clients that cannot take it right now (socket.io's {@code volatile}). */
    public EmitterOperator volatile_() {
        return new EmitterOperator(bus, new EmitterBus.Target(target.nsp(), target.rooms(), target.except(), true));
    }

    /**
     * Emits {@code event} with {@code args} (JSON values, records and POJOs via Jackson, {@code byte[]} as
     * binary): clients receive exactly these arguments.
     *
     * @throws IllegalArgumentException for an event name socket.io reserves
     */
    public CompletableFuture<Void> emit(String event, Object... args) {
        Objects.requireNonNull(event, "event");
        if (RESERVED.contains(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
        }
        List<Object> data = new ArrayList<>(args.length + 1);
        data.add(event);
        data.addAll(java.util.Arrays.asList(args));
        return bus.broadcast(target, data);
    }

    /** The addressed sockets join {@code rooms}. */
    public CompletableFuture<Void> socketsJoin(String... rooms) {
        return bus.socketsJoin(target, Set.of(rooms));
    }

    /** The addressed sockets leave {@code rooms}. */
    public CompletableFuture<Void> socketsLeave(String... rooms) {
        return bus.socketsLeave(target, Set.of(rooms));
    }

    /**
     * Disconnects the addressed sockets from the namespace (clients see {@code io server disconnect} and do not
     * reconnect by themselves); with {@code close}, their whole connections are closed.
     */
    public CompletableFuture<Void> disconnectSockets(boolean close) {
        return bus.disconnectSockets(target, close);
    }

    private static Set<String> union(Set<String> a, String... b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(List.of(b));
        return all;
    }
}
