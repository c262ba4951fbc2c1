package io.sockeye.tests.server;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Headless Chromium's {@code EventSource} on {@code GET /sse} ({@code src/test/node/browser/sse.mjs}): a
 * reconnection after the server ended the stream resumes with the browser's own {@code Last-Event-ID}, and a
 * refused token ends the {@code EventSource} without retries.
 */
class SseBrowserTest {

    private static final Path BROWSER = Path.of("src", "test", "node", "browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @Test
    void eventSourceResumesWithLastEventIdAndStopsOnARefusedToken() {
        assertThat(CHROMIUM).as("headless Chromium: run bin/install-test-deps (apt-get install chromium)").isExecutable();
        NodeRunner.ensureInstalled(BROWSER);
        try (ServerUnderTest server = ServerUnderTest.withJwt("--rooms", "[{pattern: 'feed', subscribe: authenticated}]");
             ChildProcess browser = NodeRunner.script(BROWSER, "sse.mjs", server.url(), ServerUnderTest.API_KEY,
                     Tokens.hs256("reader")).name("browser-sse").env("CHROMIUM", CHROMIUM.toString()).start()) {
            assertThat(browser.awaitExit(Duration.ofMinutes(2))).as(browser::tail).isZero();
            assertThat(browser.lines()).contains(
                    "ok: EventSource resumed with Last-Event-ID: the events published while it was away arrived once each, in order",
                    "ok: a refused token closed the EventSource for good (readyState CLOSED, one refusal on the server)");
        }
    }
}
