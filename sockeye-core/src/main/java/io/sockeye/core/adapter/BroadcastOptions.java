package io.sockeye.core.adapter;

import java.util.Objects;
import java.util.Set;

/**
 * Who receives a broadcast (socket.io-adapter's {@code BroadcastOptions}).
 *
 * <p>Resolution rules, identical on every node:
 * <ol>
 *   <li>empty {@code rooms} means every socket of the namespace;</li>
 *   <li>otherwise the union of the members of {@code rooms}, each socket counted once;</li>
 *   <li>a socket id is an implicit room holding just that socket;</li>
 *   <li>{@code except} wins: a member of any room in {@code except} never receives the packet.</li>
 * </ol>
 *
 * @param rooms  target rooms (immutable; empty = all sockets)
 * @param except excluded rooms (immutable)
 * @param flags  broadcast modifiers
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, BroadcastFlags flags) {

    /** Every socket of the namespace, on every node, no flags. */
    public static final BroadcastOptions ALL = new BroadcastOptions(Set.of(), Set.of(), BroadcastFlags.NONE);

    public BroadcastOptions {
        rooms = rooms == null ? Set.of() : Set.copyOf(rooms);
        except = except == null ? Set.of() : Set.copyOf(except);
        flags = Objects.requireNonNullElse(flags, BroadcastFlags.NONE);
    }

    /** Options targeting {@code rooms} with no exclusion and no flags. */
    public static BroadcastOptions to(Set<String> rooms) {
        return new BroadcastOptions(rooms, Set.of(), BroadcastFlags.NONE);
    }

    public BroadcastOptions withRooms(Set<String> value) {
        return new BroadcastOptions(value, except, flags);
    }

    public BroadcastOptions withExcept(Set<String> value) {
        return new BroadcastOptions(rooms, value, flags);
    }

    public BroadcastOptions withFlags(BroadcastFlags value) {
        return new BroadcastOptions(rooms, except, value);
    }
}
