package io.sockeye.tests.server;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The npm {@code socket.io-client} 4.8 against the standalone server: each {@code node:test} file in
 * {@code src/test/node/server/} runs against a server configured for it, reading its URL from
 * {@code SOCKEYE_URL} and its tokens from {@code SOCKEYE_TOKEN_*}. A failure shows node's report; the
 * full output is under {@code target/child-processes/}.
 */
@DisplayName("standalone server: npm socket.io-client 4.8")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServerNodeClientTest {

    private static final Path PROJECT = Path.of("src", "test", "node");
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @BeforeAll
    static void installClient() {
        NodeRunner.ensureInstalled(PROJECT);
    }

    @Test
    void anonymousDemoFlow() throws Exception {
        try (ServerUnderTest server = ServerUnderTest.start()) {
            run("server/demo.test.mjs", server, Map.of());
        }
    }

    @Test
    void jwtPermissionsPresenceAndRefresh() throws Exception {
        String rules = "[{pattern: 'public:*', subscribe: anyone, publish: authenticated, presence: anyone,"
                + " presence_enabled: true}]";
        try (ServerUnderTest server = ServerUnderTest.withJwt("--rooms", rules, "--jwt-clock-skew", "0s")) {
            run("server/auth.test.mjs", server, Map.of(
                    "SOCKEYE_TOKEN_ALICE", Tokens.hs256("alice"),
                    "SOCKEYE_TOKEN_BOB", Tokens.hs256("bob"),
                    "SOCKEYE_TOKEN_RITA", Tokens.hs256("rita"),
                    // Short-lived tokens are minted by the script itself, just before it uses them.
                    "SOCKEYE_JWT_SECRET", ServerUnderTest.SECRET,
                    "SOCKEYE_TOKEN_EXPIRED", Tokens.hs256("alice", Duration.ofHours(-1), c -> { }),
                    "SOCKEYE_TOKEN_FORGED", Tokens.hs256("not-the-server-secret-0123456789abcdef", "alice",
                            Duration.ofHours(1), c -> { }),
                    "SOCKEYE_TOKEN_NONE", Tokens.algNone("alice")));
        }
    }

    @Test
    void recoveryOnByDefaultKeepsSubscriptionsAndDoesNotReviveAnExpiredToken() throws Exception {
        String rules = "[{pattern: 'public:*', subscribe: authenticated, publish: authenticated, presence: none}]";
        try (ServerUnderTest server = ServerUnderTest.withJwt("--rooms", rules, "--jwt-clock-skew", "0s")) {
            run("server/recovery.test.mjs", server, Map.of("SOCKEYE_JWT_SECRET", ServerUnderTest.SECRET));
        }
    }

    private static void run(String script, ServerUnderTest server, Map<String, String> env) throws Exception {
        List<String> command = List.of(NodeRunner.node().toString(), "--test", "--test-reporter=spec",
                "--test-force-exit", script);
        ChildProcess.Builder builder = ChildProcess.command(command)
                .directory(PROJECT)
                .name("node-server-" + Path.of(script).getFileName())
                .env("SOCKEYE_URL", server.url())
                .env("SOCKEYE_API_KEY", ServerUnderTest.API_KEY)
                .env("NO_COLOR", "1");
        env.forEach(builder::env);
        try (ChildProcess node = builder.start()) {
            int exit = node.awaitExit(DEADLINE);
            assertThat(exit).as("node --test %s exit code; its output:%n%s", script, String.join(System.lineSeparator(), node.lines())).isZero();
        }
    }
}
