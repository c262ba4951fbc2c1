package io.sockeye.core.adapter;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.Parser;
import io.sockeye.protocol.socket.EncodedPacket;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small real {@link LocalSocket} for adapter tests: it records what is written to it, answers ack
 * requests as told, joins/leaves through the namespace's adapter like the real socket does, and
 * counts calls made off its event loop (a broken threading obligation).
 */
public final class RecordingSocket implements LocalSocket {

    private final RecordingNamespace namespace;
    private final String id;
    private final EventExecutor executor;
    private final Map<String, Object> handshake;
    private volatile Object data;
    private volatile boolean writable = true;
    private volatile Parser parser = Parser.JSON;
    private volatile Function<RecordingSocket, List<Object>> ackReply;
    private volatile Boolean disconnectedWithClose;
    private final List<EncodedPacket> written = new CopyOnWriteArrayList<>();
    private final List<BroadcastPacket> broadcasts = new CopyOnWriteArrayList<>();
    private final List<byte[]> msgpackWritten = new CopyOnWriteArrayList<>();
    private final Map<Long, Consumer<List<Object>>> acks = new ConcurrentHashMap<>();
    private final AtomicInteger offLoopCalls = new AtomicInteger();

    RecordingSocket(RecordingNamespace namespace, String id, EventExecutor executor) {
        this.namespace = namespace;
        this.id = id;
        this.executor = executor;
        this.handshake = Map.of("auth", Map.of("token", "t-" + id), "url", "/socket.io/?EIO=4");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public Object handshake() {
        return handshake;
    }

    @Override
    public Object data() {
        return data;
    }

    public RecordingSocket data(Object value) {
        this.data = value;
        return this;
    }

    /** Makes the socket's connection a msgpack (or JSON) one. */
    public RecordingSocket parser(Parser value) {
        this.parser = value;
        return this;
    }

    @Override
    public Parser parser() {
        return parser;
    }

    /** Simulates a connection above its high-water mark: volatile packets must be dropped. */
    public RecordingSocket writable(boolean value) {
        this.writable = value;
        return this;
    }

    /** Makes the "client" acknowledge every ack request with {@code reply.apply(this)}. */
    public RecordingSocket autoAck(Function<RecordingSocket, List<Object>> reply) {
        this.ackReply = reply;
        return this;
    }

    @Override
    public void write(BroadcastPacket packet, boolean isVolatile) {
        checkLoop();
        boolean msgpack = parser == Parser.MSGPACK;
        if ((msgpack ? packet.msgpackMessage() : packet.message()).refCnt() < 1) {
            throw new AssertionError("the broadcast's message was released before its write");
        }
        if (isVolatile && !writable) {
            return;
        }
        if (msgpack) {
            msgpackWritten.add(packet.msgpackMessage().binary());
        } else {
            written.add(packet.encoded());
        }
        broadcasts.add(packet);
    }

    /** The msgpack messages of the broadcasts written to this socket (a msgpack one). */
    public List<byte[]> msgpackWritten() {
        return List.copyOf(msgpackWritten);
    }

    @Override
    public void expectAck(long ackId, Duration timeout, Consumer<List<Object>> ack) {
        checkLoop();
        acks.put(ackId, ack);
        executor.schedule(() -> acks.remove(ackId), timeout.toNanos(), TimeUnit.NANOSECONDS);
        Function<RecordingSocket, List<Object>> reply = ackReply;
        if (reply != null) {
            // Runs after the current task, i.e. after the write that follows this registration.
            executor.execute(() -> {
                Consumer<List<Object>> callback = acks.remove(ackId);
                if (callback != null) {
                    callback.accept(reply.apply(this));
                }
            });
        }
    }

    @Override
    public void join(Set<String> rooms) {
        checkLoop();
        namespace.adapter().addAll(id, rooms);
    }

    @Override
    public void leave(String room) {
        checkLoop();
        namespace.adapter().del(id, room);
    }

    @Override
    public void disconnect(boolean close) {
        checkLoop();
        namespace.remove(this);
        // Set last, so whoever sees the flag also sees the socket gone from namespace and rooms.
        disconnectedWithClose = close;
    }

    /**
     * The socket goes away but stays in its rooms, as a socket whose recovery session a node keeps does
     * (node-local recovery): it receives nothing, and its rooms stay this node's.
     */
    public void vanish() {
        namespace.vanish(this);
    }

    private void checkLoop() {
        if (!executor.inEventLoop()) {
            offLoopCalls.incrementAndGet();
        }
    }

    /** Every packet written, in order. */
    public List<EncodedPacket> written() {
        return List.copyOf(written);
    }

    /** The broadcast packets written, in order (their messages are released: do not use them). */
    public List<BroadcastPacket> broadcasts() {
        return List.copyOf(broadcasts);
    }

    /** The recovery-stream sequences of the packets written, in order ({@link BroadcastPacket#NO_SEQUENCE} for others). */
    public List<Long> sequences() {
        return broadcasts.stream().map(BroadcastPacket::sequence).toList();
    }

    /** The texts of the packets written, in order. */
    public List<String> texts() {
        return written.stream().map(EncodedPacket::text).toList();
    }

    /** How many written packets have exactly this text. */
    public long count(String text) {
        return written.stream().filter(p -> p.text().equals(text)).count();
    }

    /** Ack requests not answered yet. */
    public Set<Long> pendingAcks() {
        return Set.copyOf(acks.keySet());
    }

    /** Answers ack request {@code ackId} as the client would. */
    public void answerAck(long ackId, List<Object> args) {
        executor.execute(() -> {
            Consumer<List<Object>> callback = acks.remove(ackId);
            if (callback != null) {
                callback.accept(args);
            }
        });
    }

    /** {@code null} while connected; else whether the disconnect closed the connection. */
    public Boolean disconnectedWithClose() {
        return disconnectedWithClose;
    }

    public Set<String> rooms() {
        Set<String> rooms = namespace.adapter().socketRooms(id);
        return rooms == null ? Set.of() : Set.copyOf(rooms);
    }

    int offLoopCalls() {
        return offLoopCalls.get();
    }

    @Override
    public String toString() {
        return "RecordingSocket[" + id + "]";
    }
}
