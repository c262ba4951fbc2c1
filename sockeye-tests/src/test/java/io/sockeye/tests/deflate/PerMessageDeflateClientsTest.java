package io.sockeye.tests.deflate;

import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.netty.PerMessageDeflate;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * permessage-deflate with real clients against an embedded server with compression on, on one event loop:
 * the npm {@code ws} client ({@code src/test/node/deflate/ws-client.mjs}: compressed broadcasts, a
 * compressed message and its compressed answer, a compression bomb closed with 1009 without harming the
 * others, a bad offer declined) and headless Chromium's WebSocket ({@code src/test/node/browser/deflate.mjs}).
 * The front's compression count shows each broadcast compressed once, not once per recipient.
 */
class PerMessageDeflateClientsTest {

    private static final Path NODE = Path.of("src", "test", "node");
    private static final Path BROWSER = NODE.resolve("browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final int BROADCASTS = 3;
    private static final int PAYLOAD_CHARS = 4000;

    private NettyFrontend front;

    @BeforeEach
    void start() {
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder().build());
        io.on("connection", socket -> {
            socket.join("room");
            socket.on("burst", (args, ack) -> {
                for (int i = 0; i < BROADCASTS; i++) {
                    io.to("room").emit("news", String.valueOf((char) ('a' + i)).repeat(PAYLOAD_CHARS));
                }
            });
            socket.on("echo", (args, ack) -> ack.send(args.toArray()));
        });
        front = NettyFrontend.builder().host("127.0.0.1").port(0).threads(1)
                .perMessageDeflate(PerMessageDeflate.enabled(PerMessageDeflate.DEFAULT_THRESHOLD)).attach(io).build().start();
    }

    @AfterEach
    void stop() {
        front.close();
    }

    private String url() {
        return "ws://127.0.0.1:" + front.port() + "/socket.io/";
    }

    @Test
    void wsClientsGetEachBroadcastCompressedOnceAndABombClosesOnlyItsConnection() {
        NodeRunner.ensureInstalled(NODE);
        try (ChildProcess node = NodeRunner.script(NODE, "deflate/ws-client.mjs", url(), String.valueOf(PAYLOAD_CHARS))
                .name("node-ws-deflate").start()) {
            assertThat(node.awaitExit(Duration.ofMinutes(2))).as(node::tail).isZero();
            assertThat(node.lines()).anyMatch(l -> l.startsWith("ok: a compression bomb closed its connection with 1009"))
                    .anyMatch(l -> l.startsWith("ok: client_max_window_bits=99 declined"));
        }
        // Two bursts of three broadcasts (to three, then two recipients) and the one large ack: one
        // compression each. Per recipient it would be 3 × 3 + 3 × 2 + 1 = 16.
        assertThat(front.connectionStats().messagesCompressed()).isEqualTo(2 * BROADCASTS + 1);
    }

    @Test
    void chromiumNegotiatesDeflateAndInflatesBroadcasts() {
        assertThat(CHROMIUM).as("headless Chromium: run bin/install-test-deps (apt-get install chromium)").isExecutable();
        NodeRunner.ensureInstalled(BROWSER);
        try (ChildProcess browser = NodeRunner.script(BROWSER, "deflate.mjs", url(), String.valueOf(PAYLOAD_CHARS))
                .name("browser-deflate").env("CHROMIUM", CHROMIUM.toString()).start()) {
            assertThat(browser.awaitExit(Duration.ofMinutes(3))).as(browser::tail).isZero();
            assertThat(browser.lines()).contains("ok: Chromium negotiated permessage-deflate and inflated every broadcast");
        }
        assertThat(front.connectionStats().messagesCompressed()).isEqualTo(BROADCASTS);
    }
}
