package io.sockeye.server.metrics;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code logback-json.xml} (log.format=json) writes exactly one JSON object per line with the documented fields. */
class JsonLogFormatTest {

    @Test
    void everyEventIsOneJsonObjectOnOneLine() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // a context of its own, apart from the tests' logging
        try {
            // The console appender binds to System.out when it starts.
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            URL config = getClass().getClassLoader().getResource("logback-json.xml");
            assertThat(config).as("logback-json.xml on the class path").isNotNull();
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);

            Logger log = context.getLogger("io.sockeye.test.Logs");
            log.info("listening on {}", "http://localhost:3000/");
            log.warn("handler for event '{}' failed", "chat", new IllegalStateException("boom\nsecond line"));
            context.getLogger("io.netty.Noisy").info("hidden below WARN");
        } finally {
            context.stop();
            System.setOut(original);
        }

        List<JsonNode> events = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                events.add(new ObjectMapper().readTree(line));
            }
        }
        assertThat(events).hasSize(2);
        JsonNode info = events.get(0);
        assertThat(info.get("message").asText()).isEqualTo("listening on http://localhost:3000/");
        assertThat(info.get("level").asText()).isEqualTo("INFO");
        assertThat(info.get("logger_name").asText()).isEqualTo("io.sockeye.test.Logs");
        assertThat(info.get("service").asText()).isEqualTo("sockeye");
        assertThat(info.has("@timestamp")).isTrue();
        assertThat(info.has("thread_name")).isTrue();
        assertThat(info.has("@version")).as("noise removed").isFalse();
        JsonNode warn = events.get(1);
        assertThat(warn.get("stack_trace").asText()).contains("IllegalStateException: boom");
    }
}
