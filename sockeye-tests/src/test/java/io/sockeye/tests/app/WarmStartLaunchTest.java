package io.sockeye.tests.app;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bin/sockeye}'s warm start: it trains the JVM's class archive (AOT cache or AppCDS, by JDK) when
 * there is none for the current build, and starts whatever the archive's state — missing, damaged, older
 * than the build, or switched off.
 */
class WarmStartLaunchTest {

    private static final Path TARGET = LaunchedServer.LAUNCHER.getParent().getParent().resolve("sockeye-server").resolve("target");
    private static final String TRAINING = "warm start: training";

    @TempDir
    Path dir;

    /** Archives hold classes from jars: a build that stopped before packaging records class directories. */
    @BeforeEach
    void needsAPackagedBuild() throws IOException {
        Path classpath = TARGET.resolve("sockeye-runtime.classpath");
        assumeTrue(Files.exists(classpath) && Stream.of(Files.readString(classpath).trim().split(":"))
                .noneMatch(entry -> Files.isDirectory(Path.of(entry))), "the server's class path lists class directories");
    }

    private static List<Path> files(String... suffixes) throws IOException {
        try (Stream<Path> s = Files.list(TARGET)) {
            return s.filter(p -> p.getFileName().toString().startsWith("sockeye-")
                    && Stream.of(suffixes).anyMatch(x -> p.getFileName().toString().endsWith(x))).toList();
        }
    }

    private static List<Path> archives() throws IOException {
        return files(".aot", ".jsa");
    }

    private static void removeArchives() throws IOException {
        for (Path p : files(".aot", ".jsa", ".failed")) {
            Files.delete(p);
        }
    }

    private LaunchedServer launch(Map<String, String> env) {
        return LaunchedServer.start(dir, "sockeye-warm-start", env);
    }

    private static void assertServes(LaunchedServer server) throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "healthz"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void trainsAnArchiveWhenThereIsNoneAndStartsWithIt() throws Exception {
        removeArchives();

        try (LaunchedServer server = launch(Map.of())) {
            assertThat(server.process().lines()).anyMatch(l -> l.contains(TRAINING));
            assertThat(archives()).as("the training run's archive; training log: " + TARGET.resolve("sockeye-training.log"))
                    .hasSize(1);
            assertServes(server);
        }
        try (LaunchedServer again = launch(Map.of())) {
            assertThat(again.process().lines()).as("trained once per build").noneMatch(l -> l.contains(TRAINING));
            assertServes(again);
        }
    }

    /** The current build's archive, trained by a first launch if there is none. */
    private Path trainedArchive() throws IOException {
        if (archives().isEmpty()) {
            launch(Map.of()).close();
        }
        return archives().get(0);
    }

    @Test
    void startsWithADamagedArchiveWithoutTrainingAgain() throws Exception {
        Path archive = trainedArchive();
        Files.delete(archive); // the JVM writes it read-only
        Files.write(archive, "not a class archive".repeat(100).getBytes());

        try (LaunchedServer server = launch(Map.of())) {
            assertThat(server.process().lines()).noneMatch(l -> l.contains(TRAINING));
            assertServes(server);
        }
    }

    @Test
    void retrainsWhenTheServerWasBuiltAfterItsArchive() throws Exception {
        Path archive = trainedArchive();
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minus(Duration.ofDays(1))));

        try (LaunchedServer server = launch(Map.of())) {
            assertThat(server.process().lines()).anyMatch(l -> l.contains(TRAINING));
            assertServes(server);
        }
        assertThat(Files.getLastModifiedTime(archive).toInstant()).isAfter(Instant.now().minus(Duration.ofHours(1)));
    }

    @Test
    void offNeitherTrainsNorNeedsAnArchive() throws Exception {
        removeArchives();

        try (LaunchedServer server = launch(Map.of("SOCKEYE_AOT", "off"))) {
            assertThat(server.process().lines()).noneMatch(l -> l.contains(TRAINING));
            assertThat(archives()).isEmpty();
            assertServes(server);
        }
    }
}
