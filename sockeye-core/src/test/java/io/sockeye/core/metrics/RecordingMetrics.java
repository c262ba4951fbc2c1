package io.sockeye.core.metrics;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.protocol.engine.EnginePacketType;
import io.sockeye.protocol.socket.SocketPacketType;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small real {@link SockeyeMetrics} for tests: every call bumps a counter named after the call and
 * its arguments, e.g. {@code socketDisconnected / client namespace disconnect}; sizes and durations
 * are kept in lists. Thread-safe, like a real implementation must be.
 */
public final class RecordingMetrics implements SockeyeMetrics {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> sums = new ConcurrentHashMap<>();
    public final List<Integer> fanOuts = new CopyOnWriteArrayList<>();
    public final List<Long> deliveryNanos = new CopyOnWriteArrayList<>();
    public final List<Long> ackNanos = new CopyOnWriteArrayList<>();
    public final List<Long> busLatencies = new CopyOnWriteArrayList<>();
    public final List<ServerGauges> gauges = new CopyOnWriteArrayList<>();
    public final List<EventExecutor> loops = new CopyOnWriteArrayList<>();

    /** How many times {@code key} was recorded, e.g. {@code count("eventReceived", "/", "hello")}. */
    public long count(String... key) {
        LongAdder a = counts.get(String.join(" / ", key));
        return a == null ? 0 : a.sum();
    }

    /** The total of the sizes recorded under {@code key}. */
    public long sum(String... key) {
        LongAdder a = sums.get(String.join(" / ", key));
        return a == null ? 0 : a.sum();
    }

    /** Every counter, sorted, for assertion messages. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private void inc(String... key) {
        counts.computeIfAbsent(String.join(" / ", key), k -> new LongAdder()).increment();
    }

    private void add(long value, String... key) {
        sums.computeIfAbsent(String.join(" / ", key), k -> new LongAdder()).add(value);
    }

    @Override
    public void sessionOpened(String transport, EventExecutor loop) {
        inc("sessionOpened", transport);
        loops.add(loop);
    }

    @Override
    public void requestRejected(String reason, boolean handshake) {
        inc("requestRejected", reason, handshake ? "handshake" : "session");
    }

    @Override
    public void sessionUpgraded(String from, String to) {
        inc("sessionUpgraded", from, to);
    }

    @Override
    public void sessionClosed(String transport, String reason) {
        inc("sessionClosed", transport, reason);
    }

    @Override
    public void enginePacketReceived(String transport, EnginePacketType type) {
        inc("enginePacketReceived", transport, type.name());
    }

    @Override
    public void enginePacketSent(String transport, EnginePacketType type) {
        inc("enginePacketSent", transport, type.name());
    }

    @Override
    public void engineBytesReceived(String transport, long bytes) {
        add(bytes, "engineBytesReceived", transport);
    }

    @Override
    public void engineBytesSent(String transport, long bytes) {
        add(bytes, "engineBytesSent", transport);
    }

    @Override
    public void volatileDropped() {
        inc("volatileDropped");
    }

    @Override
    public void slowConsumerClosed() {
        inc("slowConsumerClosed");
    }

    @Override
    public void socketConnected(String namespace) {
        inc("socketConnected", namespace);
    }

    @Override
    public void socketDisconnected(String namespace, String reason) {
        inc("socketDisconnected", namespace, reason);
    }

    @Override
    public void connectRejected(String reason) {
        inc("connectRejected", reason);
    }

    @Override
    public void binaryPacketRefused(String reason) {
        inc("binaryPacketRefused", reason);
    }

    @Override
    public void packetReceived(SocketPacketType type, long bytes) {
        inc("packetReceived", type.name());
        add(bytes, "packetReceived", type.name());
    }

    @Override
    public void packetSent(SocketPacketType type, long bytes) {
        inc("packetSent", type.name());
        add(bytes, "packetSent", type.name());
    }

    @Override
    public void eventReceived(String namespace, String event) {
        inc("eventReceived", namespace, event);
    }

    @Override
    public void broadcastStarted(String namespace) {
        inc("broadcastStarted", namespace);
    }

    @Override
    public void broadcastDelivered(int recipients, long elapsedNanos) {
        fanOuts.add(recipients);
        deliveryNanos.add(elapsedNanos);
    }

    @Override
    public void ackReceived(long elapsedNanos) {
        ackNanos.add(elapsedNanos);
    }

    @Override
    public void ackTimedOut() {
        inc("ackTimedOut");
    }

    @Override
    public void clusterPublished(String type) {
        inc("clusterPublished", type);
    }

    @Override
    public void clusterPublishFailed(String type) {
        inc("clusterPublishFailed", type);
    }

    @Override
    public void clusterReceived(String type) {
        inc("clusterReceived", type);
    }

    @Override
    public void clusterRequestTimedOut(String request) {
        inc("clusterRequestTimedOut", request);
    }

    @Override
    public void clusterBusLatency(long elapsedNanos) {
        busLatencies.add(elapsedNanos);
    }

    @Override
    public void clusterBusStatus(boolean up, String detail) {
        inc("clusterBusStatus", up ? "up" : "down");
    }

    @Override
    public void addGauges(ServerGauges g) {
        gauges.add(g);
    }

    @Override
    public void removeGauges(ServerGauges g) {
        gauges.remove(g);
    }

    @Override
    public void recoveryAttempted(String namespace) {
        inc("recoveryAttempted", namespace);
    }

    @Override
    public void recoverySucceeded(String namespace, int replayed) {
        inc("recoverySucceeded", namespace);
        add(replayed, "recoveryReplayed", namespace);
    }

    @Override
    public void recoveryFailed(String namespace, String reason) {
        inc("recoveryFailed", namespace, reason);
    }

    @Override
    public void recoveryTookOver(String namespace) {
        inc("recoveryTookOver", namespace);
    }

    @Override
    public void historyAppended(String namespace, long bytes) {
        inc("historyAppended", namespace);
        add(bytes, "historyBytes", namespace);
    }

    @Override
    public void historyEvicted(String namespace, long bytes, String reason) {
        inc("historyEvicted", namespace, reason);
        add(-bytes, "historyBytes", namespace);
    }
}
