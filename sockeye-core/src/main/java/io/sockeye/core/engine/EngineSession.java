package io.sockeye.core.engine;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.spi.transport.OutboundPacket;
import io.sockeye.protocol.ProtocolException;
import io.sockeye.protocol.engine.EnginePacket;
import io.sockeye.protocol.engine.EnginePacketType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * One Engine.IO session: handshake, server-driven heartbeat, write buffer, polling→WebSocket upgrade
 * and close (engine.io {@code socket.ts}). Every field is touched only on {@link #executor()}.
 */
final class EngineSession extends SessionWriteBuffer implements EngineSocket {

    private static final Logger log = LoggerFactory.getLogger(EngineSession.class);

    private enum State { OPEN, CLOSING, CLOSED }

    private final EngineEndpointImpl server;
    private final String id;
    private final EventExecutor executor;
    private final RequestInfo request;
    private final ServerOptions options;
    private final EngineTimer timer;
    private final SockeyeMetrics metrics;

    private volatile Transport transport;
    private Upgrade upgrade;
    private boolean upgraded;
    private State state = State.OPEN;
    private EngineListener listener;
    private String closeReason;

    private EngineTimer.Cancellable pingTimer;
    private EngineTimer.Cancellable pongTimer;

    EngineSession(EngineEndpointImpl server, String id, EventExecutor executor, RequestInfo request, Transport transport) {
        this.server = server;
        this.id = id;
        this.executor = executor;
        this.request = request;
        this.options = server.options();
        this.timer = server.timer();
        this.metrics = server.metrics();
        this.transport = transport;
        transport.attach(this);
    }

    /** Queues the open packet and starts the heartbeat (spec: the ping timer starts at handshake). */
    void open(boolean polling) {
        String upgrades = polling && options.allowUpgrades() && options.transportAllowed("websocket")
                ? "[\"websocket\"]" : "[]";
        String handshake = "{\"sid\":\"" + id + "\",\"upgrades\":" + upgrades
                + ",\"pingInterval\":" + options.pingInterval().toMillis()
                + ",\"pingTimeout\":" + options.pingTimeout().toMillis()
                + ",\"maxPayload\":" + options.maxHttpBufferSize() + "}";
        enqueue(OutboundPacket.of(EnginePacket.text(EnginePacketType.OPEN, handshake)));
        schedulePing();
    }

    // ---- EngineSocket -------------------------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public String transportName() {
        return transport.name();
    }

    @Override
    public RequestInfo request() {
        return request;
    }

    @Override
    public void setListener(EngineListener listener) {
        this.listener = listener;
    }

    @Override
    public void send(String text, List<byte[]> attachments) {
        if (executor.inEventLoop()) {
            doSend(OutboundPacket.message(text), attachments);
        } else {
            executor.execute(() -> doSend(OutboundPacket.message(text), attachments));
        }
    }

    @Override
    public void send(OutboundPacket message, List<byte[]> attachments) {
        // The broadcast's loop task releases its own reference once every recipient had it: take ours first.
        message.retain();
        if (executor.inEventLoop()) {
            doSend(message, attachments);
            return;
        }
        try {
            executor.execute(() -> doSend(message, attachments));
        } catch (RejectedExecutionException e) {
            message.release(); // the loop is gone, and the session with it
        }
    }

    @Override
    public void sendBinary(byte[] data) {
        if (executor.inEventLoop()) {
            doSendBinary(data);
        } else {
            executor.execute(() -> doSendBinary(data));
        }
    }

    // Owns one reference of message: queues it, or releases it when the session is no longer open.
    private void doSend(OutboundPacket message, List<byte[]> attachments) {
        if (state != State.OPEN) {
            message.release();
            return;
        }
        enqueue(message);
        for (int i = 0, n = attachments.size(); i < n; i++) {
            enqueue(OutboundPacket.binary(attachments.get(i)));
        }
    }

    private void doSendBinary(byte[] data) {
        if (state == State.OPEN) {
            enqueue(OutboundPacket.binary(data));
        }
    }

    @Override
    public boolean isWritable() {
        return state == State.OPEN && transport.networkWritable(queuedBytes(), options.writeBufferHighWaterMark());
    }

    @Override
    public long bufferedBytes() {
        return queuedBytes() + transport.pendingBytes();
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public void whenReleased(Runnable task) {
        try {
            executor.execute(() -> transport.whenReleased(task)); // the transport's state is the loop's
        } catch (RejectedExecutionException e) {
            task.run(); // the loop is gone, and every connection with it
        }
    }

    @Override
    public void close(String reason) {
        if (executor.inEventLoop()) {
            serverClose(reason);
        } else {
            executor.execute(() -> serverClose(reason));
        }
    }

    /** Closes because of a transport failure reported by the network layer: nothing more is written. */
    void closeNow(String reason) {
        executor.execute(() -> onClose(reason, Transport.CloseKind.FAILED));
    }

    // ---- write path (the buffer itself: SessionWriteBuffer) -------------------------------------

    @Override
    void scheduleFlush() {
        // Coalesce: everything sent during the current event-loop task goes out in one flush.
        FlushBatch.schedule(this);
    }

    void flush() {
        flushed();
        if (state == State.CLOSED) {
            return;
        }
        Transport t = transport;
        if (state == State.CLOSING) {
            if (t.writable()) {
                if (hasQueued()) {
                    // Like engine.io, the last packets and the close packet travel in separate polls:
                    // clients process a payload's packets on a later tick than the close packet.
                    t.send(takeQueued());
                } else {
                    t.send(List.of(OutboundPacket.of(EnginePacket.CLOSE)));
                    finishClose(closeReason, Transport.CloseKind.FAILED);
                }
            }
            return;
        }
        if (!hasQueued()) {
            return;
        }
        if (t.writable()) {
            t.send(takeQueued());
        }
        long buffered = bufferedBytes();
        // The peer is not reading: past the hard limit, or the high-water mark while the transport is short
        // of memory, what waits for it is dropped and the connection cut, not held (slow consumers go first).
        if (buffered > options.maxBufferedBytes() || buffered > options.writeBufferHighWaterMark() && t.memoryPressure()) {
            log.debug("session {} closed: {} bytes buffered (max {})", id, buffered, options.maxBufferedBytes());
            metrics.slowConsumerClosed();
            finishClose("slow consumer", Transport.CloseKind.DISCARD); // which drops what is still queued
        }
    }

    // ---- heartbeat ----------------------------------------------------------------------------

    private void schedulePing() {
        long interval = options.pingInterval().toMillis();
        pingDue = timer.nanoTime() + interval * 1_000_000;
        pingTimer = timer.schedule(() -> executor.execute(this::sendPing), interval);
    }

    private void sendPing() {
        if (state != State.OPEN) {
            return;
        }
        enqueue(OutboundPacket.of(EnginePacket.PING));
        // Two deadlines. A request that arrives later than pingInterval + pingTimeout after the ping was
        // due finds the session closed (expireIfPongOverdue), however late the wheel ticked; the timer
        // itself closes pingTimeout after the ping actually left, so a late tick never shortens the
        // client's time to answer.
        long deadline = pingDue + options.pingTimeout().toNanos();
        pongDeadline = deadline;
        pongTimer = timer.schedule(() -> executor.execute(() -> checkPong(deadline)), options.pingTimeout().toMillis());
    }

    private long pingDue;
    private long pongDeadline = Long.MAX_VALUE;

    private void checkPong(long deadline) {
        if (state != State.CLOSED && pongDeadline == deadline) {
            onClose("ping timeout", Transport.CloseKind.SERVER);
        }
    }

    /**
     * Closes the session if its pong deadline has passed. Called before serving a request so that a
     * request arriving just after the deadline never races the timer wheel's tick.
     */
    boolean expireIfPongOverdue() {
        if (state != State.CLOSED && pongDeadline != Long.MAX_VALUE && timer.nanoTime() - pongDeadline >= 0) {
            onClose("ping timeout", Transport.CloseKind.SERVER);
            return true;
        }
        return state == State.CLOSED;
    }

    private void onPong() {
        pongDeadline = Long.MAX_VALUE;
        cancel(pongTimer);
        pongTimer = null;
        cancel(pingTimer);
        schedulePing();
    }

    // ---- events from transports (on the executor) ----------------------------------------------

    void onTransportPacket(Transport from, EnginePacket packet) {
        if (upgrade != null && from == upgrade.ws) {
            upgrade.onPacket(packet);
            return;
        }
        if (from != transport || state != State.OPEN) {
            return;
        }
        switch (packet.type()) {
            case PONG -> onPong();
            // Spec (v4): heartbeats go server → client; a client ping is an error.
            case PING -> onClose("transport error", Transport.CloseKind.SERVER);
            case MESSAGE -> {
                EngineListener l = listener;
                if (l != null) {
                    if (packet.isBinary()) {
                        l.onBinary(packet.binary());
                    } else {
                        l.onMessage(packet.text());
                    }
                }
            }
            default -> { } // open, upgrade and noop carry nothing for an open session
        }
    }

    void onTransportDrain(Transport from) {
        if (from == transport) {
            flush();
        }
    }

    void onParseError(Transport from, ProtocolException e) {
        log.debug("session {}: parse error: {}", id, e.getMessage());
        if (upgrade != null && from == upgrade.ws) {
            abandonUpgrade(upgrade, "websocket failed");
        } else if (from == transport) {
            onClose("parse error", Transport.CloseKind.SERVER);
        }
    }

    /**
     * The transport failed. {@code dead} says whether it can still write (an overlapping poll leaves
     * the parked GET usable, and it receives the close packet; a closed socket can write nothing).
     */
    void onTransportError(Transport from, String detail, boolean dead) {
        log.debug("session {}: transport error: {}", id, detail);
        if (upgrade != null && from == upgrade.ws) {
            abandonUpgrade(upgrade, "websocket failed");
        } else if (from == transport) {
            String reason = from instanceof WebSocketTransport && "websocket closed".equals(detail)
                    ? "transport close" : "transport error";
            onClose(reason, dead ? Transport.CloseKind.FAILED : Transport.CloseKind.SERVER);
        }
    }

    void onTransportClosedByClient(Transport from) {
        if (upgrade != null && from == upgrade.ws) {
            abandonUpgrade(upgrade, "websocket failed");
        } else if (from == transport) {
            onClose("transport close", Transport.CloseKind.CLIENT);
        }
    }

    // ---- upgrade (see Upgrade) ---------------------------------------------------------------

    /** A WebSocket with this session's sid connected (on the executor). */
    void onUpgradeRequest(WebSocketTransport ws) {
        ws.attach(this);
        // engine.io closes a second WebSocket for a session that is upgrading or already upgraded.
        if (state != State.OPEN || upgrade != null || upgraded || !(transport instanceof PollingTransport)) {
            ws.close(Transport.CloseKind.SERVER);
            return;
        }
        upgrade = new Upgrade(this, ws, options.upgradeTimeout().toMillis());
    }

    /** The client sent {@code 5}: switch to the WebSocket and flush what polling had queued. */
    void completeUpgrade(Upgrade attempt) {
        if (upgrade != attempt || state != State.OPEN) {
            abandonUpgrade(attempt, "session no longer open");
            return;
        }
        upgrade = null;
        ((PollingTransport) transport).discard(attempt.ws);
        upgraded = true;
        transport = attempt.ws;
        server.onUpgraded(this);
        EngineListener l = listener;
        if (l != null) {
            l.onUpgrade(attempt.ws.name());
        }
        flush();
    }

    /** Gives the upgrade up (timeout, bad packet, closed socket); the session stays on polling. */
    void abandonUpgrade(Upgrade attempt, String why) {
        attempt.cancelTimers();
        if (upgrade == attempt) {
            log.debug("session {}: upgrade abandoned: {}", id, why);
            upgrade = null;
        }
        attempt.ws.close(Transport.CloseKind.SERVER);
    }

    /** Releases a parked poll with a noop while {@code attempt} is in progress; false once it is over. */
    boolean releaseParkedPoll(Upgrade attempt) {
        if (upgrade != attempt || !(transport instanceof PollingTransport polling)) {
            return false;
        }
        polling.sendNoopIfParked();
        return true;
    }

    @Override
    public EngineTimer.Cancellable schedule(Runnable task, long delayMillis) {
        return timer.schedule(() -> executor.execute(task), delayMillis);
    }

    // ---- close --------------------------------------------------------------------------------

    /** A close asked for by the server (application or slow consumer): flush first, then close. */
    private void serverClose(String reason) {
        if (state == State.CLOSING && server.isClosed()) {
            // Waiting for a poll to deliver the close, but the server is shutting down and its event loops
            // with it: end now, so the packets still queued are released rather than left to a timer.
            finishClose(closeReason, Transport.CloseKind.SERVER);
            return;
        }
        if (state != State.OPEN) {
            return;
        }
        if (transport instanceof PollingTransport && !server.isClosed()) {
            // A polling client learns of the close from its polls: first what is still queued, then the
            // close packet. If it never polls again, give up when the heartbeat would have declared it dead
            // (a ping in flight: its pong deadline; else the next ping's), not one whole heartbeat later.
            state = State.CLOSING;
            closeReason = reason;
            long deadline = pongDeadline != Long.MAX_VALUE ? pongDeadline : pingDue + options.pingTimeout().toNanos();
            cancelHeartbeat();
            long delayMillis = Math.max(0, (deadline - timer.nanoTime() + 999_999) / 1_000_000);
            pingTimer = timer.schedule(() -> executor.execute(() -> {
                if (state == State.CLOSING) {
                    finishClose(reason, Transport.CloseKind.FAILED);
                }
            }), delayMillis);
            flush();
            return;
        }
        flush();
        if (state == State.OPEN) {
            onClose(reason, Transport.CloseKind.SERVER);
        }
    }

    private void onClose(String reason, Transport.CloseKind kind) {
        if (state == State.CLOSED) {
            return;
        }
        if (kind != Transport.CloseKind.SERVER) {
            dropQueued();
        }
        finishClose(reason, kind);
    }

    private void finishClose(String reason, Transport.CloseKind kind) {
        state = State.CLOSED;
        metrics.sessionClosed(transport.name(), reason);
        cancelHeartbeat();
        server.remove(this);
        transport.close(kind);
        if (upgrade != null) {
            abandonUpgrade(upgrade, "session closed");
        }
        dropQueued();
        EngineListener l = listener;
        if (l != null) {
            try {
                l.onClose(reason);
            } catch (RuntimeException e) {
                log.warn("session {}: close listener failed", id, e);
            }
        }
    }

    private void cancelHeartbeat() {
        cancel(pingTimer);
        cancel(pongTimer);
        pingTimer = null;
        pongTimer = null;
        pongDeadline = Long.MAX_VALUE;
    }

    private static void cancel(EngineTimer.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    Transport transport() {
        return transport;
    }

    SockeyeMetrics metrics() {
        return metrics;
    }

    /**
     * {@link #bufferedBytes()} read from another thread, for a gauge: the counter is written on the event
     * loop only, so this may be slightly stale, never torn into garbage that matters for a sum over sessions.
     */
    long bufferedBytesForMetrics() {
        return state == State.CLOSED ? 0 : queuedBytes() + transport.pendingBytes();
    }

    boolean closed() {
        return state == State.CLOSED;
    }
}
