package io.sockeye.tests.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.tests.cluster.BusProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --log-format json} holds for every line the launched server writes, also when reading the
 * configuration made a logger first (the Redis client logs while it parses {@code --redis-url}), and the
 * chosen level holds too: no client library's debug lines at the default {@code info}.
 */
class JsonLogLaunchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyLineIsJsonAtTheChosenLevelWithARedisUrl() throws Exception {
        try (BusProcess redis = BusProcess.redis();
             LaunchedServer server = LaunchedServer.start(dir, "sockeye-json-log", Map.of(),
                     "--log-format", "json", "--redis-url", redis.url())) {
            // The launcher's own lines (a build, if one was needed) are not the server's: they say "sockeye:"
            // or come from Maven. Every other line is the server's log.
            List<String> lines = server.process().lines().stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("sockeye: ") && !l.startsWith("[")).toList();
            assertThat(lines).as("server output").isNotEmpty();
            for (String line : lines) {
                assertThat(line).as("a JSON log line").startsWith("{");
                JsonNode entry = JSON.readTree(line);
                assertThat(entry.path("level").asText()).as(line).isIn("INFO", "WARN", "ERROR");
                assertThat(entry.has("@timestamp") && entry.has("logger_name")).as("documented fields: " + line).isTrue();
                assertThat(entry.path("service").asText()).as(line).isEqualTo("sockeye");
            }
            assertThat(lines).anyMatch(l -> l.contains("listening on " + server.url()));
        }
    }
}
