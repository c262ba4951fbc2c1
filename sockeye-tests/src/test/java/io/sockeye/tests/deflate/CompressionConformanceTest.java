package io.sockeye.tests.deflate;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import io.sockeye.tests.autobahn.AutobahnEchoServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Autobahn cases 12.* and 13.* check, for want of an Autobahn release with them in the build: the npm
 * {@code ws} client (an RFC 7692 implementation of its own, on Node's zlib) against the Autobahn echo server,
 * whose pipeline is the transport's, with every message compressed. For client_max_window_bits absent, bare and
 * 8 to 15, each with and without client_no_context_takeover and server_no_context_takeover offered, and for
 * server_max_window_bits, the answer must be the one docs/compatibility.md gives, and text (multi-byte UTF-8) and
 * binary messages of 0 bytes to just over 128 KiB, in one frame and in fragments, must come back byte for byte
 * ({@code src/test/node/deflate/conformance.mjs}).
 */
class CompressionConformanceTest {

    private static final Path NODE = Path.of("src", "test", "node");
    /** client_max_window_bits: absent, bare, 8..15; times client_no_context_takeover and server_no_context_takeover. */
    private static final int WINDOW_COMBINATIONS = 10 * 2 * 2;

    @Test
    void wsClientMessagesRoundTripByteForByteUnderEveryOfferedParameterCombination() throws Exception {
        NodeRunner.ensureInstalled(NODE);
        try (AutobahnEchoServer server = AutobahnEchoServer.start(0);
             ChildProcess node = NodeRunner.script(NODE, "deflate/conformance.mjs", "ws://127.0.0.1:" + server.port() + "/")
                     .name("node-ws-deflate-conformance").start()) {
            assertThat(node.awaitExit(Duration.ofMinutes(5))).as(node::tail).isZero();
            assertThat(node.lines()).filteredOn(l -> l.startsWith("ok: client_max_window_bits=")).hasSize(WINDOW_COMBINATIONS);
            assertThat(node.lines())
                    .contains("ok: server_max_window_bits=8..14 declined: 101 without Sec-WebSocket-Extensions",
                            "ok: several offers: the first acceptable one is answered")
                    .anyMatch(l -> l.startsWith("ok: compression conformance: " + (WINDOW_COMBINATIONS + 3) + " combinations"));
        }
    }
}
