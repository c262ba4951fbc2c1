package io.sockeye.tests.app;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a running server: every client (the real npm socket.io-client 4.8) is told
 * {@code server shutting down} and disconnected within the drain window, and the process exits 0.
 */
class SigtermDrainTest {

    private static final Path NODE_PROJECT = Path.of("src", "test", "node");
    private static final int CLIENTS = 6;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path workDir;

    @BeforeAll
    static void installClient() {
        NodeRunner.ensureInstalled(NODE_PROJECT);
    }

    @Test
    void drainsClientsWithTheReasonAndExitsZero() {
        try (LaunchedServer server = LaunchedServer.start(workDir, "sockeye-drain", Map.of(), "--drain-window", "2s");
             ChildProcess clients = NodeRunner.script(NODE_PROJECT, "server/app-drain-clients.mjs", server.url(),
                     String.valueOf(CLIENTS)).name("drain-clients").start()) {
            clients.awaitLine("ready " + CLIENTS, DEADLINE);

            server.sigterm();

            assertThat(clients.awaitExit(DEADLINE)).as(clients.tail()).isZero();
            assertThat(server.process().awaitExit(DEADLINE)).as(server.process().tail()).isZero();
            List<String> seen = clients.lines();
            for (int i = 0; i < CLIENTS; i++) {
                String notice = "notice " + i + " {\"code\":\"unavailable\",\"message\":\"server shutting down\"}";
                String disconnect = "disconnect " + i + " transport close";
                assertThat(seen).contains(notice, disconnect);
                assertThat(seen.indexOf(notice)).as("client %d reads the reason first", i).isLessThan(seen.indexOf(disconnect));
            }
            server.process().awaitLine("received SIGTERM", DEADLINE);
            server.process().awaitLine("disconnecting " + CLIENTS + " clients over 2000 ms", DEADLINE);
            server.process().awaitLine("drained " + CLIENTS + " clients", DEADLINE);
        }
    }
}
