package io.sockeye.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.testkit.RawHttpConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link NettyFrontend#close()} ends every connection it accepted. A connection left open by a stopped server
 * is never read again: a request sent on it (a polling client's last POST, say) waits unanswered until the
 * client's own timeout, and the client may not open another connection meanwhile.
 */
class FrontendCloseTest {

    private final List<RawHttpConnection> connections = new ArrayList<>();
    private NettyFrontend front;

    @AfterEach
    void stop() {
        connections.forEach(RawHttpConnection::close);
        if (front != null) {
            front.close();
        }
    }

    @Test
    void closeEndsAnIdleKeepAliveConnection() {
        start();
        RawHttpConnection idle = connection();
        idle.get("/hello");
        assertThat(idle.readResponse()).endsWith("hello");

        front.close();

        assertThat(idle.readUntilClosed()).isEmpty();
    }

    /**
     * An event loop still running a task when its shutdown begins ends without closing its channels (a quiet
     * period of zero ends it right after that task), so the front must not leave their closing to the loops.
     */
    @Test
    void closeEndsAConnectionWhoseEventLoopIsBusyWhenTheLoopsShutDown() {
        start();
        RawHttpConnection idle = connectionOffTheListeningLoop();
        idle.get("/hold");
        assertThat(idle.readResponse()).as("its loop now runs a task until the shutdown begins").endsWith("held");

        front.close();

        assertThat(idle.readUntilClosed()).isEmpty();
    }

    private void start() {
        SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
        front = NettyFrontend.builder().host("127.0.0.1").port(0).threads(2)
                .fallback(FrontendCloseTest::serve).attach(io).build().start();
    }

    private RawHttpConnection connection() {
        RawHttpConnection c = new RawHttpConnection("127.0.0.1", front.port());
        connections.add(c);
        return c;
    }

    /**
     * A keep-alive connection on another loop than the listening socket's: holding that loop then cannot hold
     * up the listening socket's close. With two loops handed out in turn, one of two connections is one.
     */
    private RawHttpConnection connectionOffTheListeningLoop() {
        for (int i = 0; i < 4; i++) {
            RawHttpConnection c = connection();
            c.get("/loop");
            if (c.readResponse().endsWith("other")) {
                return c;
            }
        }
        throw new AssertionError("no connection landed on a loop of its own");
    }

    /**
     * {@code /hello}: "hello". {@code /loop}: whether this connection shares the listening socket's loop.
     * {@code /hold}: "held", then occupies the connection's loop with a task until the loop begins to shut down,
     * as a loop busy with other connections' work would be at that moment.
     */
    private static boolean serve(ChannelHandlerContext ctx, FullHttpRequest request, RequestInfo info) {
        EventLoop loop = ctx.channel().eventLoop();
        switch (info.path()) {
            case "/hello" -> respond(ctx, "hello");
            case "/loop" -> respond(ctx, loop == ctx.channel().parent().eventLoop() ? "shared" : "other");
            case "/hold" -> {
                respond(ctx, "held");
                loop.execute(() -> await().atMost(Duration.ofSeconds(30)).until(loop::isShuttingDown));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void respond(ChannelHandlerContext ctx, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        ctx.writeAndFlush(response);
    }
}
