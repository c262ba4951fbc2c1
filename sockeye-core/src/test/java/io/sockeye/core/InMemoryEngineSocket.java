package io.sockeye.core;

import io.netty.util.concurrent.EventExecutor;
import io.sockeye.core.engine.EngineListener;
import io.sockeye.core.engine.EngineSocket;
import io.sockeye.core.engine.EngineTimer;
import io.sockeye.core.spi.transport.OutboundPacket;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real, in-memory Engine.IO session for driving the Socket.IO layer: the test plays the client by
 * feeding Socket.IO packet texts ({@code "0"}, {@code "2[\"ev\"]"}) and binary attachments, and
 * reads back what the server sent, in order. Mirrors the real session's threading: the listener is
 * called on the session's event loop only.
 */
final class InMemoryEngineSocket implements EngineSocket {

    private static final long WAIT_SECONDS = 30;

    private final String id;
    private final EventExecutor loop;
    private final RequestInfo request;
    private final BlockingQueue<Object> sent = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private volatile EngineListener listener;
    private volatile boolean writable = true;
    private volatile boolean open = true;

    InMemoryEngineSocket(String id, EventExecutor loop, RequestInfo request) {
        this.id = id;
        this.loop = loop;
        this.request = request;
    }

    static RequestInfo defaultRequest() {
        return new RequestInfo("GET", "/socket.io/?EIO=4&transport=websocket", "/socket.io/",
                Map.of("EIO", "4", "transport", "websocket"),
                Map.of("host", "localhost:3000", "origin", "http://localhost:3000"), "127.0.0.1", false);
    }

    // ---- EngineSocket ------------------------------------------------------------------------

    @Override public String id() { return id; }
    @Override public EventExecutor executor() { return loop; }
    @Override public String transportName() { return "websocket"; }
    @Override public RequestInfo request() { return request; }
    @Override
    public EngineTimer.Cancellable schedule(Runnable task, long delayMillis) {
        var future = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override public void setListener(EngineListener listener) { this.listener = listener; }
    @Override public boolean isWritable() { return writable; }
    @Override public long bufferedBytes() { return 0; }
    @Override public boolean isOpen() { return open; }

    @Override
    public void send(String text, List<byte[]> attachments) {
        assertThat(loop.inEventLoop()).as("send on the session's event loop").isTrue();
        if (!open) {
            return;
        }
        sent.add(text);
        sent.addAll(attachments);
    }

    @Override
    public void send(OutboundPacket message, List<byte[]> attachments) {
        // A broadcast's message: what a session would queue, checked here and released at once.
        message.retain();
        try {
            if (message.isBinary()) {
                sendBinary(message.binary()); // a msgpack broadcast's message
                return;
            }
            assertThat(new String(message.utf8(), StandardCharsets.UTF_8)).isEqualTo("4" + message.text());
            send(message.text(), attachments);
        } finally {
            message.release();
        }
    }

    @Override
    public void sendBinary(byte[] data) {
        // The Socket.IO layer sends a binary message alone only for a msgpack connection's packet.
        assertThat(loop.inEventLoop()).as("send on the session's event loop").isTrue();
        if (open) {
            sent.add(data);
        }
    }

    @Override
    public void close(String reason) {
        loop.execute(() -> closeNow(reason));
    }

    private void closeNow(String reason) {
        if (open) {
            open = false;
            closed.complete(reason);
            if (listener != null) {
                listener.onClose(reason);
            }
        }
    }

    // ---- the test's side (the client) --------------------------------------------------------

    void setWritable(boolean value) {
        writable = value;
    }

    /** The client sends one Socket.IO packet text (the Engine.IO message without its {@code 4}). */
    void receive(String text) {
        loop.execute(() -> {
            if (open) {
                listener.onMessage(text);
            }
        });
    }

    void receiveBinary(byte[] data) {
        loop.execute(() -> {
            if (open) {
                listener.onBinary(data);
            }
        });
    }

    /** The transport went away (client closed, network dropped, ping timeout...). */
    void transportClosed(String reason) {
        loop.execute(() -> closeNow(reason));
    }

    /** The next text the server sent, waiting a bounded time. */
    String nextText() {
        Object next = next();
        if (!(next instanceof String s)) {
            throw new AssertionError("expected a text packet but got binary " + describe(next));
        }
        return s;
    }

    byte[] nextBinary() {
        Object next = next();
        if (!(next instanceof byte[] b)) {
            throw new AssertionError("expected a binary attachment but got " + next);
        }
        return b;
    }

    private Object next() {
        try {
            Object next = sent.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (next == null) {
                fail("nothing sent within " + WAIT_SECONDS + " s");
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Asserts the server sent nothing more so far: first lets every task already queued on the event
     * loop run (writes only happen there), so "nothing yet" is not just "not yet".
     */
    void assertNothingSent() {
        settle();
        assertThat(sent).as("packets sent").isEmpty();
    }

    /** Waits until every task queued on the session's event loop so far has run. */
    void settle() {
        try {
            loop.submit(() -> { }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The reason the session was closed with, waiting a bounded time. */
    String awaitClosed() {
        try {
            return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("session not closed within " + WAIT_SECONDS + " s", e);
        }
    }

    boolean closed() {
        return !open;
    }

    private static String describe(Object o) {
        return o instanceof byte[] b ? java.util.Arrays.toString(b) : String.valueOf(o);
    }

    @Override
    public String toString() {
        return "InMemoryEngineSocket(" + id + ")";
    }
}
