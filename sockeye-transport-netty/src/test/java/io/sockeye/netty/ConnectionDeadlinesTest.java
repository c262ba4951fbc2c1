package io.sockeye.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.ConnectionStats.Deadline;
import io.sockeye.testkit.RawHttpConnection;
import io.sockeye.testkit.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections that never finish a request are closed by their deadlines — short here, so that the tests
 * drive time by waiting for the close, never by sleeping — while a request being answered and a WebSocket
 * are left alone. Real sockets from 127.0.0.x.
 */
class ConnectionDeadlinesTest {

    private static final Duration DEADLINE = Duration.ofMillis(300);
    private static final String LONG_HEAD = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(400)
            + "\r\n\r\n";

    private final ScheduledExecutorService slowloris = Executors.newSingleThreadScheduledExecutor();
    private SocketIoServer io;
    private NettyFrontend front;

    @BeforeEach
    void start() {
        io = SocketIoServer.create(ServerOptions.builder()
                .pingInterval(Duration.ofMillis(600)).pingTimeout(Duration.ofSeconds(5)).build());
        front = NettyFrontend.builder().host("127.0.0.1").port(0).threads(1)
                .idleTimeout(DEADLINE).requestHeadTimeout(DEADLINE).requestBodyTimeout(DEADLINE)
                .fallback(ConnectionDeadlinesTest::hello).attach(io).build().start();
    }

    @AfterEach
    void stop() {
        slowloris.shutdownNow();
        front.close();
    }

    /** Answers GET /hello with 200 "hello", keeping the connection alive. */
    static boolean hello(ChannelHandlerContext ctx, FullHttpRequest request, RequestInfo info) {
        if (!info.path().equals("/hello") && !info.path().equals("/healthz")) {
            return false;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 5);
        ctx.writeAndFlush(response);
        return true;
    }

    @Test
    void aConnectionThatNeverSendsAByteIsClosedAtItsIdleDeadline() {
        try (RawHttpConnection silent = new RawHttpConnection("127.0.0.2", front.port())) {
            assertThat(silent.readUntilClosed()).isEmpty();
        }
        assertThat(front.connectionStats().timedOut(Deadline.IDLE)).isEqualTo(1);
    }

    @Test
    void aHeadSentByteByByteIsAnswered408AtItsDeadline() {
        try (RawHttpConnection loris = new RawHttpConnection("127.0.0.2", front.port())) {
            // One byte per interval: the whole head would take far longer than its deadline.
            AtomicInteger next = loris.drip(LONG_HEAD, slowloris, Duration.ofMillis(20));

            assertThat(loris.readUntilClosed()).startsWith("HTTP/1.1 408 Request Timeout");
            assertThat(next.get()).isLessThan(LONG_HEAD.length());
        }
        assertThat(front.connectionStats().timedOut(Deadline.REQUEST_HEAD)).isEqualTo(1);
    }

    @Test
    void aBodyThatStopsArrivingIsAnswered408AtItsDeadline() {
        try (RawHttpConnection stalled = new RawHttpConnection("127.0.0.2", front.port())) {
            stalled.write("POST /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nonly a part");
            assertThat(stalled.readUntilClosed()).startsWith("HTTP/1.1 408 Request Timeout");
        }
        assertThat(front.connectionStats().timedOut(Deadline.REQUEST_BODY)).isEqualTo(1);
    }

    @Test
    void aKeepAliveConnectionIsServedAgainThenClosedWhenIdleBetweenRequests() {
        try (RawHttpConnection keepAlive = new RawHttpConnection("127.0.0.2", front.port())) {
            keepAlive.get("/hello");
            assertThat(keepAlive.readResponse()).startsWith("HTTP/1.1 200").endsWith("hello");
            keepAlive.get("/hello");
            assertThat(keepAlive.readResponse()).startsWith("HTTP/1.1 200").endsWith("hello");
            assertThat(keepAlive.readUntilClosed()).isEmpty();
        }
        assertThat(front.connectionStats().timedOut(Deadline.IDLE)).isEqualTo(1);
    }

    @Test
    void aPollParkedLongerThanTheDeadlinesIsAnsweredNotCutOff() {
        String sid;
        try (RawHttpConnection handshake = new RawHttpConnection("127.0.0.2", front.port())) {
            handshake.get("/socket.io/?EIO=4&transport=polling");
            sid = handshake.readResponse().replaceAll("(?s).*\"sid\":\"([^\"]+)\".*", "$1");
        }
        try (RawHttpConnection poll = new RawHttpConnection("127.0.0.2", front.port())) {
            poll.get("/socket.io/?EIO=4&transport=polling&sid=" + sid);
            // Parked until the first ping, two deadlines later.
            assertThat(poll.readResponse()).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n2");
        }
        assertThat(front.connectionStats().timedOut(Deadline.REQUEST_HEAD)
                + front.connectionStats().timedOut(Deadline.REQUEST_BODY)).isZero();
    }

    @Test
    void aWebSocketOutlivesTheIdleDeadline() {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", front.port());
        try (RawWebSocket ws = RawWebSocket.open("127.0.0.2", server, "/socket.io/?EIO=4&transport=websocket", 0)) {
            ws.await(m -> m.startsWith("0{"), Duration.ofSeconds(30));
            ws.send("40");
            ws.await(m -> m.startsWith("40{"), Duration.ofSeconds(30));
            for (int ping = 0; ping < 3; ping++) { // three ping intervals: six idle deadlines
                ws.await(m -> m.equals("2"), Duration.ofSeconds(30));
            }
            ws.send("42[\"still here\"]");
        }
        assertThat(front.connectionStats().timedOut(Deadline.IDLE)).isZero();
    }
}
