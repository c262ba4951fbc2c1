package io.sockeye.core.internal.socket;

import io.sockeye.core.AckTimeoutException;
import io.sockeye.core.Args;
import io.sockeye.core.BroadcastOperator;
import io.sockeye.core.RemoteSocket;
import io.sockeye.core.adapter.AdapterTimeoutException;
import io.sockeye.core.adapter.BroadcastFlags;
import io.sockeye.core.adapter.BroadcastOptions;
import io.sockeye.core.adapter.SocketDetails;
import io.sockeye.protocol.socket.SocketPacket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The immutable broadcast operator (socket.io's {@code BroadcastOperator}). It acts on one namespace,
 * or on every child of a parent namespace, always through each namespace's adapter.
 */
final class BroadcastOperatorImpl implements BroadcastOperator {

    private final ServerContext server;
    private final Supplier<Collection<NamespaceImpl>> targets;
    private final Set<String> rooms;
    private final Set<String> except;
    private final BroadcastFlags flags;

    private BroadcastOperatorImpl(ServerContext server, Supplier<Collection<NamespaceImpl>> targets,
                                  Set<String> rooms, Set<String> except, BroadcastFlags flags) {
        this.server = server;
        this.targets = targets;
        this.rooms = rooms;
        this.except = except;
        this.flags = flags;
    }

    static BroadcastOperatorImpl of(ServerContext server, Supplier<Collection<NamespaceImpl>> targets) {
        return new BroadcastOperatorImpl(server, targets, Set.of(), Set.of(), BroadcastFlags.NONE);
    }

    private static Set<String> union(Set<String> current, Collection<String> more) {
        Set<String> out = new LinkedHashSet<>(current);
        for (String room : more) {
            out.add(Objects.requireNonNull(room, "room"));
        }
        return Set.copyOf(out);
    }

    private BroadcastOperatorImpl with(Set<String> r, Set<String> e, BroadcastFlags f) {
        return new BroadcastOperatorImpl(server, targets, r, e, f);
    }

    @Override
    public BroadcastOperatorImpl to(String... rooms) {
        return to(Arrays.asList(rooms));
    }

    @Override
    public BroadcastOperatorImpl to(Collection<String> more) {
        return with(union(rooms, more), except, flags);
    }

    @Override
    public BroadcastOperatorImpl in(String... rooms) {
        return to(rooms);
    }

    @Override
    public BroadcastOperatorImpl except(String... rooms) {
        return except(Arrays.asList(rooms));
    }

    @Override
    public BroadcastOperatorImpl except(Collection<String> more) {
        return with(rooms, union(except, more), flags);
    }

    @Override
    public BroadcastOperatorImpl asVolatile() {
        return with(rooms, except, flags.withVolatile(true));
    }

    @Override
    public BroadcastOperatorImpl local() {
        return with(rooms, except, flags.withLocal(true));
    }

    @Override
    public BroadcastOperatorImpl compress(boolean compress) {
        return with(rooms, except, flags.withCompress(compress));
    }

    @Override
    public BroadcastOperatorImpl timeout(Duration timeout) {
        return with(rooms, except, flags.withTimeout(Objects.requireNonNull(timeout, "timeout")));
    }

    BroadcastOptions options() {
        return new BroadcastOptions(rooms, except, flags);
    }

    @Override
    public void emit(String event, Object... args) {
        List<Object> data = Emits.eventData(event, args);
        BroadcastOptions opts = options();
        for (NamespaceImpl nsp : targets.get()) {
            server.metrics().broadcastStarted(nsp.name());
            nsp.adapter().broadcast(SocketPacket.event(nsp.name(), data), opts);
        }
    }

    @Override
    public CompletableFuture<String> emitWithOffset(String event, Object... args) {
        List<Object> data = Emits.eventData(event, args);
        BroadcastOptions opts = options();
        CompletableFuture<String> first = null;
        for (NamespaceImpl nsp : targets.get()) {
            server.metrics().broadcastStarted(nsp.name());
            CompletableFuture<String> offset = nsp.adapter().broadcastWithOffset(SocketPacket.event(nsp.name(), data), opts);
            if (first == null) {
                first = offset;
            }
        }
        return first == null ? CompletableFuture.completedFuture(null) : first;
    }

    @Override
    public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
        List<Object> data = Emits.eventData(event, args);
        if (flags.timeout() == null) {
            // socket.io: "Cannot use acknowledgements on broadcast without timeout"
            throw new IllegalStateException("emitWithAck on a broadcast needs a timeout: call timeout(Duration) first");
        }
        BroadcastOptions opts = options();
        List<CompletableFuture<List<Args>>> parts = new ArrayList<>();
        for (NamespaceImpl nsp : targets.get()) {
            server.metrics().broadcastStarted(nsp.name());
            parts.add(nsp.adapter().broadcastWithAck(SocketPacket.event(nsp.name(), data), opts).thenApply(this::toArgs));
        }
        return gather(parts, this::toArgs);
    }

    private List<Args> toArgs(List<?> replies) {
        List<Args> out = new ArrayList<>(replies.size());
        for (Object reply : replies) {
            out.add(server.args(reply instanceof List<?> list ? list : java.util.Collections.singletonList(reply)));
        }
        return out;
    }

    @Override
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        BroadcastOptions opts = options();
        List<CompletableFuture<List<RemoteSocket>>> parts = new ArrayList<>();
        for (NamespaceImpl nsp : targets.get()) {
            parts.add(nsp.adapter().fetchSockets(opts).thenApply(details -> {
                List<RemoteSocket> out = new ArrayList<>(details.size());
                for (SocketDetails d : details) {
                    out.add(new RemoteSocketImpl(nsp, d));
                }
                return out;
            }));
        }
        return gather(parts, null);
    }

    /**
     * Joins the per-namespace results into one list, completed where handlers run. With
     * {@code ackReplies} set, a broadcast ack timeout in any namespace fails the whole with
     * {@link AckTimeoutException} holding every reply received (socket.io's {@code err} plus the
     * partial {@code responses}).
     */
    private <T> CompletableFuture<List<T>> gather(List<CompletableFuture<List<T>>> parts,
                                                  Function<List<?>, List<Args>> ackReplies) {
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            List<T> all = new ArrayList<>();
            List<Args> partial = new ArrayList<>();
            Throwable failure = null;
            String timeoutMessage = null;
            for (CompletableFuture<List<T>> part : parts) {
                try {
                    all.addAll(part.join());
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    if (ackReplies != null && cause instanceof AdapterTimeoutException t) {
                        timeoutMessage = t.getMessage();
                        partial.addAll(ackReplies.apply(t.partialResults()));
                    } else if (failure == null) {
                        failure = cause;
                    }
                }
            }
            if (failure == null && timeoutMessage != null) {
                for (T t : all) {
                    partial.add((Args) t); // the replies of namespaces that completed in time
                }
                failure = new AckTimeoutException(timeoutMessage, partial);
            }
            server.complete(result, failure == null ? List.copyOf(all) : null, failure);
        });
        return result;
    }

    @Override
    public void socketsJoin(String... rooms) {
        Set<String> set = Set.copyOf(Arrays.asList(rooms));
        for (NamespaceImpl nsp : targets.get()) {
            nsp.adapter().addSockets(options(), set);
        }
    }

    @Override
    public void socketsLeave(String... rooms) {
        Set<String> set = Set.copyOf(Arrays.asList(rooms));
        for (NamespaceImpl nsp : targets.get()) {
            nsp.adapter().delSockets(options(), set);
        }
    }

    @Override
    public void disconnectSockets(boolean close) {
        for (NamespaceImpl nsp : targets.get()) {
            nsp.adapter().disconnectSockets(options(), close);
        }
    }

    @Override
    public String toString() {
        return "BroadcastOperator(rooms=" + rooms + ", except=" + except + ", flags=" + flags + ")";
    }
}
