package io.sockeye.tests.msgpack;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import io.sockeye.tests.app.LaunchedServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone server launched as users launch it, {@code bin/sockeye --parser msgpack} and
 * {@code --parser auto}, with the npm socket.io-client 4.8 and socket.io-msgpack-parser
 * ({@code src/test/node/msgpack/standalone.test.mjs}): the rooms protocol on both transports, the HTTP API,
 * and under auto JSON and msgpack clients publishing to each other.
 */
@DisplayName("bin/sockeye with the msgpack parser")
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class StandaloneMsgpackTest {

    private static final String API_KEY = "msgpack-test-api-key";

    @TempDir
    Path workDir;

    @BeforeAll
    static void install() {
        NodeRunner.ensureInstalled(MsgpackGoldenBytesTest.PROJECT);
    }

    @ParameterizedTest(name = "--parser {0}")
    @ValueSource(strings = {"msgpack", "auto"})
    void roomsProtocolWithMsgpackClients(String parser) {
        try (LaunchedServer server = LaunchedServer.start(workDir, "sockeye-parser-" + parser,
                Map.of("SOCKEYE_API_KEY", API_KEY), "--parser", parser)) {
            List<String> command = List.of(NodeRunner.node().toString(), "--test", "--test-reporter=spec",
                    "--test-force-exit", "standalone.test.mjs");
            try (ChildProcess node = ChildProcess.command(command).directory(MsgpackGoldenBytesTest.PROJECT)
                    .name("node-msgpack-standalone-" + parser)
                    .env("SOCKEYE_URL", server.url())
                    .env("SOCKEYE_API_KEY", API_KEY)
                    .env("SOCKEYE_PARSER", parser)
                    .env("NO_COLOR", "1")
                    .start()) {
                int exit = node.awaitExit(Duration.ofMinutes(2));
                assertThat(exit).as(() -> "standalone.test.mjs against " + server.url() + "\n"
                        + String.join("\n", node.lines())).isZero();
            }
        }
    }
}
