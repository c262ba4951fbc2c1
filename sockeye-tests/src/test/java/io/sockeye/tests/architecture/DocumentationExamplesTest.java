package io.sockeye.tests.architecture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java examples of README.md and docs/*.md compile against the current modules, so a public type
 * that moves or changes breaks the build until the documentation follows it.
 *
 * <p>Each {@code ```java} block becomes the body of a method in a class of its own, which imports the
 * public packages and provides what the snippets take as given: {@code io} (a {@code SocketIoServer}),
 * {@code socket}, {@code msg}, {@code now}, {@code apiKey}, a {@code valid(token)} check and the
 * {@code Move} and {@code Message} records. The documentation's elisions become code that compiles:
 * a line {@code ...} disappears, {@code { ... }} is an empty block and {@code -> ...} returns
 * {@code any()}, a value of whatever type the lambda needs.
 */
class DocumentationExamplesTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    private static final String IMPORTS = """
            import io.sockeye.core.*;
            import io.sockeye.core.adapter.*;
            import io.sockeye.core.engine.*;
            import io.sockeye.core.metrics.*;
            import io.sockeye.core.recovery.*;
            import io.sockeye.core.spi.transport.*;
            import io.sockeye.netty.*;
            import io.sockeye.adapter.redis.*;
            import io.sockeye.adapter.nats.*;
            import io.sockeye.emitter.*;
            import io.lettuce.core.RedisClient;
            import io.sockeye.server.http.*;
            import io.sockeye.server.metrics.*;
            import io.sockeye.client.msgpack.MsgpackParser;
            import io.socket.client.IO;
            import io.prometheus.metrics.model.registry.PrometheusRegistry;
            import io.netty.bootstrap.ServerBootstrap;
            import io.netty.channel.ChannelInitializer;
            import io.netty.channel.socket.SocketChannel;
            import io.netty.handler.codec.http.HttpServerCodec;
            import java.net.URI;
            import java.time.*;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.regex.Pattern;
            """;

    private static final String GIVEN = """
                SocketIoServer io;
                Socket socket;
                Object msg;
                long now;
                String apiKey;
                record Move(int x, int y) { }
                record Message(String room, String text) { }
                static boolean valid(Object token) { return token != null; }
                static <T> T any() { return null; }
            """;

    @TempDir
    Path compiled;

    @Test
    void theJavaExamplesOfTheReadmeAndTheDocsCompile() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        for (Path doc : documents()) {
            Matcher block = JAVA_BLOCK.matcher(Files.readString(doc));
            for (int n = 1; block.find(); n++) {
                String name = "Example" + (sources.size() + 1);
                sources.put("docs.examples." + name, wrap(name, block.group(1)));
                origins.put(name, ArchitectureTest.REPOSITORY.relativize(doc) + ", java block " + n);
            }
        }
        assertThat(origins.values()).as("the README's and the embedding guide's examples are found")
                .anyMatch(o -> o.startsWith("README.md")).anyMatch(o -> o.startsWith("docs/embedding.md"));

        TestCompiler.Result result = TestCompiler.compile(sources, compiled);

        List<String> errors = new ArrayList<>();
        for (String error : result.errors()) {
            Matcher example = Pattern.compile("docs/examples/(Example\\d+)\\.java").matcher(error);
            errors.add(example.find() ? origins.get(example.group(1)) + " — " + error : error);
        }
        assertThat(errors).as("compiler errors in the documented examples").isEmpty();
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ArchitectureTest.REPOSITORY.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ArchitectureTest.REPOSITORY.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }

    static String wrap(String className, String snippet) {
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n", -1)) {
            if (line.trim().equals("...")) {
                continue;
            }
            body.append("        ").append(line.replace("{ ... }", "{ }").replace("-> ...", "-> any()")).append('\n');
        }
        return "package docs.examples;\n\n" + IMPORTS + "\n@SuppressWarnings(\"all\")\nclass " + className + " {\n"
                + GIVEN + "\n    void example() throws Exception {\n" + body + "    }\n}\n";
    }
}
