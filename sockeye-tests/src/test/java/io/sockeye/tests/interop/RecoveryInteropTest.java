package io.sockeye.tests.interop;

import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Connection state recovery with the real npm {@code socket.io-client} 4.8: one JUnit test per scenario
 * file in {@code src/test/node/recovery/*.test.mjs}, each against a fresh embedded server running
 * {@link RecoveryApp}; and one per socket.io recovery bug that Sockeye fixes, in
 * {@code src/test/node/recovery/upstream/}.
 */
@DisplayName("npm socket.io-client 4.8 recovering its connection state against Sockeye")
class RecoveryInteropTest {

    @BeforeAll
    static void installClient() {
        NodeRunner.ensureInstalled(NodeInteropTest.PROJECT);
    }

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        return NodeInteropTest.scenarios("recovery", RecoveryInteropTest::run);
    }

    @TestFactory
    @DisplayName("one test per socket.io recovery bug, which Sockeye does not have")
    Stream<DynamicTest> upstreamBugs() throws IOException {
        return NodeInteropTest.scenarios("recovery/upstream", RecoveryInteropTest::run);
    }

    private static void run(Path script) {
        try (RecoveryApp app = RecoveryApp.start()) {
            NodeInteropTest.runScenario(script, app.url(), () -> { });
        }
    }
}
