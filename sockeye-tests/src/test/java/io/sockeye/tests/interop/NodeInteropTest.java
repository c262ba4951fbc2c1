package io.sockeye.tests.interop;

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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Runs the real npm {@code socket.io-client} 4.8 against Sockeye: one JUnit test per scenario file in
 * {@code src/test/node/scenarios/*.test.mjs} (a {@code node:test} file), each against a fresh embedded
 * server running {@link InteropApp}, whose URL the script reads from {@code SOCKEYE_URL}.
 *
 * <p>A failing scenario fails with node's own report (spec reporter: test name, expected vs actual),
 * and the full output is kept under {@code target/child-processes/}. To run one scenario by hand:
 * start {@link InteropServer#main}, then {@code SOCKEYE_URL=<its url> node --test scenarios/acks.test.mjs}
 * in {@code src/test/node}; {@code -Dsockeye.interop.debug=true} turns on the client's debug log here.
 */
@DisplayName("npm socket.io-client 4.8 against Sockeye")
class NodeInteropTest {

    static final Path PROJECT = Path.of("src", "test", "node");
    private static final String SUFFIX = ".test.mjs";
    /** A scenario file runs its tests one after the other; the slowest (reconnection) needs ~20 s. */
    private static final Duration SCENARIO_DEADLINE = Duration.ofMinutes(3);
    private static final int OUTPUT_LINES_IN_FAILURE = 400;

    @BeforeAll
    static void installClient() {
        // npm ci when node_modules is missing or was installed from another lock file (CI did it already).
        NodeRunner.ensureInstalled(PROJECT);
    }

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        return scenarios("scenarios", NodeInteropTest::run);
    }

    private static String scenarioName(Path script) {
        String file = script.getFileName().toString();
        return file.substring(0, file.length() - SUFFIX.length());
    }

    private static void run(Path script) {
        try (InteropServer server = InteropServer.start()) {
            runScenario(script, server.url(), () -> assertThat(server.restartFailure())
                    .as("server restart requested by the scenario").isNull());
        }
    }

    /**
     * Runs one scenario file with node's test runner against {@code url}; {@code afterExit} checks the
     * server side before the exit code is judged.
     */
    static void runScenario(Path script, String url, Runnable afterExit) {
        String scenario = scenarioName(script);
        List<String> command = new ArrayList<>(List.of(
                NodeRunner.node().toString(), "--test", "--test-reporter=spec",
                // A scenario that leaves a handle open must still end, and fail on its own report.
                "--test-force-exit",
                PROJECT.relativize(script).toString()));
        ChildProcess.Builder builder = ChildProcess.command(command)
                .directory(PROJECT)
                .name("node-" + scenario)
                .env("SOCKEYE_URL", url)
                .env("NO_COLOR", "1");
        if (Boolean.getBoolean("sockeye.interop.debug")) {
            builder.env("DEBUG", "socket.io-client*,engine.io-client*");
        }
        try (ChildProcess node = builder.start()) {
            int exit = node.awaitExit(SCENARIO_DEADLINE);
            afterExit.run();
            assertThat(exit)
                    .as(() -> "scenario " + scenario + " (" + script + ") failed against " + url
                            + "; node's report follows (full log: " + node.logFile() + ")\n"
                            + lastLines(node.lines()))
                    .isZero();
        }
    }

    /** The scenario files of {@code directory} (under {@link #PROJECT}), one dynamic test each. */
    static Stream<DynamicTest> scenarios(String directory, java.util.function.Consumer<Path> run) throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(PROJECT.resolve(directory))) {
            scripts = files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        assertThat(scripts).as("scenario files in %s", PROJECT.resolve(directory)).isNotEmpty();
        return scripts.stream().map(script -> dynamicTest(scenarioName(script), script.toUri(), () -> run.accept(script)));
    }

    private static String lastLines(List<String> lines) {
        int from = Math.max(0, lines.size() - OUTPUT_LINES_IN_FAILURE);
        return (from > 0 ? "[... " + from + " earlier lines in the log file]\n" : "")
                + String.join("\n", lines.subList(from, lines.size()));
    }
}
