package io.sockeye.core.adapter;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.protocol.msgpack.MsgpackPacketEncoder;
import io.sockeye.protocol.socket.SocketPacket;
import io.sockeye.protocol.socket.SocketPacketEncoder;

import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small real {@link NamespaceContext} for adapter tests: holds {@link RecordingSocket}s, encodes
 * with the real encoder, and records server-side emits from other nodes.
 */
public final class RecordingNamespace implements NamespaceContext {

    private static final SocketPacketEncoder ENCODER = new SocketPacketEncoder(new ObjectMapper());
    private static final MsgpackPacketEncoder MSGPACK_ENCODER = new MsgpackPacketEncoder(new ObjectMapper());

    private final String name;
    private final Map<String, RecordingSocket> sockets = new ConcurrentHashMap<>();
    private final List<RecordingSocket> everConnected = new CopyOnWriteArrayList<>();
    private final AtomicLong ackIds = new AtomicLong();
    private final List<List<Object>> serverSideEmits = new CopyOnWriteArrayList<>();
    private volatile Function<List<Object>, Object> serverSideReply;
    private volatile Adapter adapter;
    private volatile SockeyeMetrics metrics = SockeyeMetrics.NOOP;

    public RecordingNamespace(String name) {
        this.name = name;
    }

    /** A namespace {@code nsp} whose adapter comes from {@code factory}, attached and initialised. */
    public static RecordingNamespace start(String nsp, AdapterFactory factory, java.time.Duration timeout) {
        RecordingNamespace namespace = new RecordingNamespace(nsp);
        Adapter adapter = factory.create(namespace);
        namespace.attach(adapter);
        try {
            adapter.init().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("adapter of " + nsp + " did not start", e);
        }
        return namespace;
    }

    public void attach(Adapter value) {
        this.adapter = value;
    }

    public Adapter adapter() {
        return adapter;
    }

    /**
     * Connects a socket with a fresh 20-character id (the length real socket ids have, which some
     * backends rely on) pinned to {@code loop}; like socket.io it joins the room named by its id.
     */
    public RecordingSocket connect(EventExecutor loop) {
        byte[] bytes = new byte[15];
        ThreadLocalRandom.current().nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        RecordingSocket socket = new RecordingSocket(this, id, loop);
        sockets.put(id, socket);
        everConnected.add(socket);
        adapter.addAll(id, Set.of(id));
        return socket;
    }

    void vanish(RecordingSocket socket) {
        sockets.remove(socket.id());
    }

    void remove(RecordingSocket socket) {
        sockets.remove(socket.id());
        adapter.delAll(socket.id());
    }

    /** Answers server-side emits that want a reply with {@code reply.apply(packet)}; null = never answer. */
    public void replyToServerSideEmits(Function<List<Object>, Object> reply) {
        this.serverSideReply = reply;
    }

    /** The server-side emits received from other nodes, as {@code [event, ...args]}. */
    public List<List<Object>> serverSideEmits() {
        return List.copyOf(serverSideEmits);
    }

    /** The text a broadcast of {@code event(args)} has on the wire in this namespace. */
    public String text(Object... eventAndArgs) {
        return ENCODER.encode(SocketPacket.event(name, List.of(eventAndArgs))).text();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LocalSocket socket(String id) {
        return sockets.get(id);
    }

    @Override
    public Collection<? extends LocalSocket> sockets() {
        return sockets.values();
    }

    @Override
    public SocketPacketEncoder encoder() {
        return ENCODER;
    }

    @Override
    public MsgpackPacketEncoder msgpackEncoder() {
        return MSGPACK_ENCODER;
    }

    @Override
    public SockeyeMetrics metrics() {
        return metrics;
    }

    /** Where the adapter should report (default: nowhere); set before the adapter is created. */
    public RecordingNamespace metrics(SockeyeMetrics value) {
        this.metrics = value;
        return this;
    }

    @Override
    public long nextAckId() {
        return ackIds.getAndIncrement();
    }

    @Override
    public void onServerSideEmit(List<Object> packet, Consumer<Object> ackOrNull) {
        serverSideEmits.add(packet);
        Function<List<Object>, Object> reply = serverSideReply;
        if (ackOrNull != null && reply != null) {
            ackOrNull.accept(reply.apply(packet));
        }
    }

    int offLoopCalls() {
        return everConnected.stream().mapToInt(RecordingSocket::offLoopCalls).sum();
    }
}
