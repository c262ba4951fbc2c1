package io.sockeye.tests.app;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two pages of headless Chromium (Debian's {@code chromium}, driven by {@code playwright-core}) chat
 * through the demo page of a server started with {@code bin/sockeye}. Screenshots of both pages are
 * kept in {@code target/artifacts/}.
 */
class BrowserDemoTest {

    private static final Path PROJECT = Path.of("src", "test", "node", "browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final String API_KEY = "browser-demo-api-key";
    private static final Path ARTIFACTS = Path.of("target", "artifacts").toAbsolutePath();

    @TempDir
    Path workDir;

    @BeforeAll
    static void install() {
        assertThat(CHROMIUM).as("headless Chromium for the browser test: run bin/install-test-deps"
                + " (apt-get install chromium)").isExecutable();
        NodeRunner.ensureInstalled(PROJECT);
    }

    @Test
    void twoPagesChatThroughTheDemoAndAReconnectShowsTheMissedMessages() {
        try (LaunchedServer server = LaunchedServer.start(workDir, "sockeye-browser", Map.of(), "--api-key", API_KEY);
             ChildProcess browser = NodeRunner.script(PROJECT, "demo-chat.mjs", server.url(), ARTIFACTS.toString())
                     .name("browser-demo-chat").env("CHROMIUM", CHROMIUM.toString())
                     .env("SOCKEYE_API_KEY", API_KEY).start()) {
            assertThat(browser.awaitExit(Duration.ofMinutes(3))).as(browser.tail()).isZero();
            assertThat(browser.lines()).contains("presence: both pages show 2 here now",
                    "chat: each page received the other's message",
                    "recovery: the missed messages appear once, in order, after the reconnect");
        }
        for (String page : new String[] {"alice", "bob"}) {
            assertThat(ARTIFACTS.resolve("demo-chat-" + page + ".png")).isRegularFile()
                    .satisfies(p -> assertThat(Files.size(p)).isPositive());
        }
    }
}
