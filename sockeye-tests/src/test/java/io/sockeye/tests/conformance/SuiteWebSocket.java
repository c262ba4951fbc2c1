package io.sockeye.tests.conformance;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The WebSocket side of the official suites ({@code new WebSocket(url)} in {@code test-suite.js}), on the
 * JDK client. Everything the server does is recorded in one queue, in order: whole text messages, whole
 * binary messages (fragments are joined on {@code last}), and finally one {@link Closed} event — for a
 * close frame, a dropped connection, or a refused handshake alike, just as a browser's {@code close}
 * event fires in all three situations.
 */
final class SuiteWebSocket implements AutoCloseable {

    /**
     * How long a case waits for the next message: the suites' heartbeat makes something arrive within
     * 300 ms, unless the machine is loaded.
     */
    static final Duration MESSAGE_DEADLINE = Duration.ofSeconds(30);
    /** How long a case waits for the server to close (mocha allows 5 s for the heartbeat block; a loaded machine more). */
    static final Duration CLOSE_DEADLINE = Duration.ofSeconds(30);

    /** One thing the server did, in arrival order. */
    sealed interface Event permits Text, Binary, Closed {
    }

    record Text(String text) implements Event {
    }

    record Binary(byte[] bytes) implements Event {
    }

    /**
     * The connection is over.
     *
     * @param how {@code "close frame <code>"}, {@code "handshake refused with HTTP <status>"} or the error
     */
    record Closed(String how) implements Event {
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(SuiteHttp.REQUEST_TIMEOUT)
            .build();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final WebSocket webSocket;
    private volatile boolean closed;

    private SuiteWebSocket(String url) {
        CompletableFuture<WebSocket> opening = CLIENT.newWebSocketBuilder()
                .connectTimeout(SuiteHttp.REQUEST_TIMEOUT)
                .buildAsync(URI.create(url), new Recorder());
        WebSocket ws = null;
        try {
            ws = opening.get(SuiteHttp.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            record(new Closed(cause instanceof WebSocketHandshakeException refused
                    ? "handshake refused with HTTP " + refused.getResponse().statusCode()
                    : "handshake failed: " + cause));
        } catch (TimeoutException e) {
            // A server that leaves the handshake hanging neither accepted nor refused it: fail the case.
            opening.cancel(true);
            throw new AssertionError("no answer to the WebSocket handshake within " + SuiteHttp.REQUEST_TIMEOUT
                    + ": " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while opening " + url, e);
        }
        this.webSocket = ws;
    }

    /** Opens a WebSocket; a refused handshake is not an error here but a {@link Closed} event. */
    static SuiteWebSocket open(String url) {
        return new SuiteWebSocket(url);
    }

    /** Whether the opening handshake succeeded ({@code open} event). */
    boolean opened() {
        return webSocket != null;
    }

    void send(String text) {
        assertThat(opened()).as("WebSocket open").isTrue();
        webSocket.sendText(text, true).join();
    }

    void send(byte[] bytes) {
        assertThat(opened()).as("WebSocket open").isTrue();
        webSocket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** The next thing the server did: {@code await waitFor(socket, "message")}, or a close. */
    Event next() {
        return nextBefore(System.nanoTime() + MESSAGE_DEADLINE.toNanos());
    }

    private Event nextBefore(long deadlineNanos) {
        try {
            long left = deadlineNanos - System.nanoTime();
            Event event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                fail("no message arrived within " + MESSAGE_DEADLINE + " (pings do not count where ignored)");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next message, which must be a text message. */
    String nextText() {
        Event event = next();
        assertThat(event).as("next WebSocket message").isInstanceOf(Text.class);
        return ((Text) event).text();
    }

    /**
     * The next message other than an Engine.IO ping ({@code 2}), answering any ping with a pong as a real
     * client would. The cases that wait for a reply use it so that a heartbeat landing first on a slow
     * machine neither fails them nor times the session out; the cases about heartbeats use {@link #next()}.
     */
    Event nextIgnoringPings() {
        long deadline = System.nanoTime() + MESSAGE_DEADLINE.toNanos();
        while (true) {
            Event event = nextBefore(deadline);
            if (!(event instanceof Text text) || !text.text().equals("2")) {
                return event;
            }
            webSocket.sendText("3", true).join();
        }
    }

    String nextTextIgnoringPings() {
        Event event = nextIgnoringPings();
        assertThat(event).as("next WebSocket message").isInstanceOf(Text.class);
        return ((Text) event).text();
    }

    byte[] nextBinaryIgnoringPings() {
        Event event = nextIgnoringPings();
        assertThat(event).as("next WebSocket message").isInstanceOf(Binary.class);
        return ((Binary) event).bytes();
    }

    /**
     * {@code await waitFor(socket, "close")} with a deadline, the client staying silent meanwhile (pings
     * unanswered): skips whatever arrives first and returns how the connection ended.
     */
    Closed awaitClosed() {
        return awaitClosed(false);
    }

    /**
     * Like {@link #awaitClosed()}, but answers every ping, so the session cannot end by ping timeout: the
     * server must close for the reason the case is about. (Several official cases would otherwise pass
     * merely because their client never answers pings and the session times out 500 ms later.)
     */
    Closed awaitClosedWhileAnsweringPings() {
        return awaitClosed(true);
    }

    private Closed awaitClosed(boolean answerPings) {
        long deadline = System.nanoTime() + CLOSE_DEADLINE.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Event event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
                if (event == null) {
                    return fail("the server did not close the WebSocket within " + CLOSE_DEADLINE);
                }
                if (event instanceof Closed c) {
                    return c;
                }
                if (answerPings && webSocket != null && event instanceof Text text && text.text().equals("2")) {
                    // May fail if the server is closing at this very moment; the close event follows.
                    webSocket.sendText("3", true).exceptionally(e -> null).join();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (webSocket != null) {
            webSocket.abort();
        }
    }

    private void record(Event event) {
        if (event instanceof Closed) {
            if (closed) {
                return;
            }
            closed = true;
        }
        events.add(event);
    }

    /** Joins fragments into whole messages and records them. */
    private final class Recorder implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                record(new Text(text.toString()));
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                record(new Binary(binary.toByteArray()));
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            record(new Closed("close frame " + statusCode + (reason.isEmpty() ? "" : " " + reason)));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            record(new Closed("connection lost: " + error));
        }
    }
}
