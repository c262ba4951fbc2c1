package io.sockeye.tests.interop;

import io.sockeye.core.Parser;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The npm {@code socket.io-client} 4.8 with {@code socket.io-msgpack-parser} 3.0 against an embedded Sockeye
 * running {@link InteropApp} with {@code parser} msgpack and auto: each {@code node:test} file in
 * {@code src/test/node/msgpack/scenarios/} on WebSocket and on long-polling ({@code default}, polling then
 * upgrade, for the events), the {@code auto-*} files under auto only, the raw-client {@code bad-input}
 * file once per parser.
 */
@DisplayName("npm socket.io-client 4.8 with socket.io-msgpack-parser against Sockeye")
class NodeMsgpackClientTest {

    /** The npm project of the msgpack tests (socket.io-client, socket.io-msgpack-parser, ws, notepack.io). */
    static final Path PROJECT = Path.of("src", "test", "node", "msgpack");
    private static final String SUFFIX = ".test.mjs";
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @BeforeAll
    static void install() {
        NodeRunner.ensureInstalled(PROJECT);
    }

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(PROJECT.resolve("scenarios"))) {
            scripts = files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        assertThat(scripts).isNotEmpty();
        List<DynamicTest> tests = new ArrayList<>();
        for (Parser parser : List.of(Parser.MSGPACK, Parser.AUTO)) {
            for (Path script : scripts) {
                String name = script.getFileName().toString().replace(SUFFIX, "");
                if (name.startsWith("auto-") && parser != Parser.AUTO) {
                    continue;
                }
                List<String> transports = name.equals("bad-input") ? List.of("websocket")
                        : name.equals("events") ? List.of("websocket", "polling", "default") : List.of("websocket", "polling");
                for (String transport : transports) {
                    String label = name + " (" + parser.name().toLowerCase(Locale.ROOT) + ", " + transport + ")";
                    tests.add(dynamicTest(label, script.toUri(), () -> run(script, parser, transport)));
                }
            }
        }
        return tests.stream();
    }

    private static void run(Path script, Parser parser, String transport) {
        try (InteropServer server = InteropServer.start(InteropApp.options().toBuilder().parser(parser).build())) {
            List<String> command = List.of(NodeRunner.node().toString(), "--test", "--test-reporter=spec",
                    "--test-force-exit", PROJECT.relativize(script).toString());
            ChildProcess.Builder builder = ChildProcess.command(command).directory(PROJECT)
                    .name("node-msgpack-" + script.getFileName())
                    .env("SOCKEYE_URL", server.url())
                    .env("SOCKEYE_TRANSPORT", transport)
                    .env("SOCKEYE_PARSER", parser.name().toLowerCase(Locale.ROOT))
                    .env("NO_COLOR", "1");
            try (ChildProcess node = builder.start()) {
                int exit = node.awaitExit(DEADLINE);
                assertThat(exit).as(() -> script + " failed against " + server.url() + " (log: " + node.logFile()
                        + ")\n" + String.join("\n", node.lines())).isZero();
            }
        }
    }
}
