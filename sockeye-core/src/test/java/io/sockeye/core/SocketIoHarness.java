package io.sockeye.core;

import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link SocketIoServer} whose connections are {@link InMemoryEngineSocket}s on a couple of real
 * event loops. Close it after each test.
 */
final class SocketIoHarness implements AutoCloseable {

    final SocketIoServer io;
    private final DefaultEventExecutorGroup loops = new DefaultEventExecutorGroup(2);
    private final AtomicInteger sessions = new AtomicInteger();

    SocketIoHarness() {
        this(b -> b);
    }

    SocketIoHarness(UnaryOperator<ServerOptions.Builder> options) {
        this.io = SocketIoServer.create(options.apply(ServerOptions.builder()
                .pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200))).build());
    }

    /**
     * The handlers of the socket.io-protocol test suite's reference server: on
     * {@code /}, emit {@code auth}, echo {@code message} as {@code message-back}, answer
     * {@code message-with-ack}; on {@code /custom}, only emit {@code auth}.
     */
    SocketIoHarness withReferenceHandlers() {
        io.on("connection", socket -> {
            socket.emit("auth", socket.handshake().auth());
            socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
            socket.on("message-with-ack", (args, ack) -> ack.send(args.toArray()));
        });
        io.of("/custom").on("connection", socket -> socket.emit("auth", socket.handshake().auth()));
        return this;
    }

    /** Opens a new Engine.IO session (as the Engine.IO server would, on the session's loop). */
    InMemoryEngineSocket open() {
        return open(loops.next());
    }

    InMemoryEngineSocket open(EventExecutor loop) {
        InMemoryEngineSocket session = new InMemoryEngineSocket("engine-sid-" + sessions.incrementAndGet(), loop,
                InMemoryEngineSocket.defaultRequest());
        loop.execute(() -> io.onEngineConnection(session));
        return session;
    }

    /** Opens a session and connects it to {@code nsp} ({@code "/"} or e.g. {@code "/chat"}); returns it with the CONNECT reply consumed. */
    InMemoryEngineSocket connect(String nsp) {
        InMemoryEngineSocket session = open();
        String sid = connect(session, nsp);
        assertThat(sid).hasSize(20);
        return session;
    }

    /** Sends CONNECT for {@code nsp} on {@code session}; returns the socket id from the reply. */
    static String connect(InMemoryEngineSocket session, String nsp) {
        String prefix = nsp.equals("/") ? "" : nsp + ",";
        session.receive("0" + prefix);
        String reply = session.nextText();
        assertThat(reply).startsWith("0" + prefix + "{\"sid\":\"");
        return reply.substring(("0" + prefix + "{\"sid\":\"").length(), reply.length() - 2);
    }

    EventExecutor loop() {
        return loops.next();
    }

    @Override
    public void close() {
        io.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
