package io.sockeye.tests.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.sockeye.tests.distribution.Poms.child;
import static io.sockeye.tests.distribution.Poms.children;
import static io.sockeye.tests.distribution.Poms.pom;
import static io.sockeye.tests.distribution.Poms.text;
import static io.sockeye.tests.distribution.StagedRepository.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The container image, without a container runtime: sockeye-server's {@code image} profile builds the
 * image tarball with Jib (on the empty {@code scratch} base, which needs no registry), and the tests
 * read its configuration, compare it with the Dockerfile's, and run its entry point from the extracted
 * layers with this JDK in place of the base image's.
 */
class ContainerImageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ENTRYPOINT = List.of("java", "-cp", "@/app/jib-classpath-file", "io.sockeye.server.Main");

    @TempDir
    static Path work;
    private static JsonNode config;
    private static Path rootfs;

    @BeforeAll
    static void buildTheImageTarballWithoutARegistryAndExtractIt() throws Exception {
        StagedRepository repository = StagedRepository.stage(work.resolve("repository"),
                "sockeye-protocol", "sockeye-core", "sockeye-transport-netty", "sockeye-cluster-codec",
                "sockeye-adapter-redis", "sockeye-adapter-nats");
        Path out = work.resolve("jib");
        NestedMaven.run(ROOT.resolve("sockeye-server"), repository, "-P", "image", "jib:buildTar",
                "-Dsockeye.image.base=scratch", "-Djib.disableUpdateChecks=true",
                "-Djib.outputPaths.tar=" + out.resolve("image.tar"),
                "-Djib.outputPaths.digest=" + out.resolve("digest"),
                "-Djib.outputPaths.imageId=" + out.resolve("id"),
                "-Djib.outputPaths.imageJson=" + out.resolve("image.json"),
                "-Djib.applicationCache=" + out.resolve("cache"));

        Path image = work.resolve("image");
        untar(out.resolve("image.tar"), image, false);
        JsonNode manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(image.resolve(manifest.get("Config").asText()).toFile());
        rootfs = work.resolve("rootfs");
        for (JsonNode layer : manifest.get("Layers")) {
            untar(image.resolve(layer.asText()), rootfs, true);
        }
    }

    @Test
    void theEntryPointStartsTheServersMainClassWithMavensClassPathFromTheLayers() throws Exception {
        assertThat(strings(config.at("/config/Entrypoint"))).isEqualTo(ENTRYPOINT);
        assertThat(config.at("/config/WorkingDir").asText()).isEqualTo("/app");
        assertThat(rootfs.resolve("app/classes/io/sockeye/server/Main.class")).isRegularFile();
        List<String> classPath = Arrays.asList(Files.readString(rootfs.resolve("app/jib-classpath-file")).trim().split(":"));
        assertThat(classPath).startsWith("/app/resources", "/app/classes")
                .contains("/app/libs/sockeye-core-" + serverVersion() + ".jar", "/app/libs/netty-codec-http-" + nettyVersion() + ".jar");
        for (String entry : classPath) {
            assertThat(rootfs.resolve(entry.substring(1))).as("class path entry %s in the layers", entry).exists();
        }
        assertThat(rootfs.resolve("app/resources/io/sockeye/server/version.properties")).isRegularFile();
    }

    @Test
    void theImageRunsAsAnUnprivilegedUserOnPort3000ConfiguredBySockeyeVariables() {
        assertThat(config.at("/config/User").asText()).isEqualTo("10001:10001");
        assertThat(names(config.at("/config/ExposedPorts").fieldNames())).containsExactly("3000/tcp");
        assertThat(environment()).containsEntry("SOCKEYE_PORT", "3000")
                .containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError");
        // Jib has no HEALTHCHECK setting; orchestrators probe /healthz and /readyz (docs/deployment.md).
        JsonNode healthcheck = config.at("/config/Healthcheck");
        assertThat(healthcheck.isMissingNode() || healthcheck.isNull()).as("health check of the Jib image: %s", healthcheck).isTrue();
    }

    @Test
    void theDockerfileBuildsTheSameImageWithAHealthCheckOnHealthz() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile")).replace("\\\n", " ");
        String runStage = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertThat(instruction(runStage, "FROM")).isEqualTo(text(child(imageProfile(), "properties"), "sockeye.image.base"));
        assertThat(JSON.readTree(instruction(runStage, "ENTRYPOINT"))).isEqualTo(config.at("/config/Entrypoint"));
        assertThat(instruction(runStage, "USER")).isEqualTo(config.at("/config/User").asText());
        assertThat(instruction(runStage, "WORKDIR")).isEqualTo(config.at("/config/WorkingDir").asText());
        assertThat(instruction(runStage, "EXPOSE") + "/tcp").isEqualTo(config.at("/config/ExposedPorts").fieldNames().next());
        Map<String, String> env = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^ENV (\\w+)=\"?(.*?)\"?$").matcher(runStage);
        while (line.find()) {
            env.put(line.group(1), line.group(2));
        }
        assertThat(env).isEqualTo(environment());
        assertThat(instruction(runStage, "HEALTHCHECK")).contains("CMD curl -fsS \"http://127.0.0.1:${SOCKEYE_PORT}/healthz\"");
    }

    @Test
    void theEntryPointRunFromTheExtractedLayersServesHealthz() throws Exception {
        // The image's java is the base image's; here this JDK runs the same arguments over the layers' /app.
        String app = rootfs.resolve("app").toString();
        Path classPathFile = work.resolve("classpath-here");
        Files.writeString(classPathFile, Files.readString(rootfs.resolve("app/jib-classpath-file")).replace("/app/", app + "/"));
        List<String> command = new ArrayList<>(strings(config.at("/config/Entrypoint")));
        command.set(0, ProcessHandle.current().info().command().orElseThrow());
        command.replaceAll(argument -> argument.equals("@/app/jib-classpath-file") ? "@" + classPathFile : argument);
        int port = FreePorts.next();
        try (ChildProcess server = ChildProcess.command(command).name("image-entrypoint").directory(rootfs.resolve("app"))
                .env(environment()).env("SOCKEYE_PORT", String.valueOf(port)).env("SOCKEYE_HOST", "127.0.0.1").start()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest healthz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(http.send(healthz, HttpResponse.BodyHandlers.ofString()).statusCode())
                            .as("GET /healthz; the server printed:%n%s", server.tail()).isEqualTo(200));
        }
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode variable : config.at("/config/Env")) {
            String[] pair = variable.asText().split("=", 2);
            env.put(pair[0], pair[1]);
        }
        return env;
    }

    private static String instruction(String stage, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + " (.*)$").matcher(stage);
        assertThat(matcher.find()).as("%s in the Dockerfile's last stage", name).isTrue();
        return matcher.group(1).trim();
    }

    private static Element imageProfile() throws Exception {
        for (Element profile : children(child(pom(ROOT.resolve("sockeye-server/pom.xml")), "profiles"), "profile")) {
            if ("image".equals(text(profile, "id"))) {
                return profile;
            }
        }
        throw new AssertionError("no image profile in sockeye-server/pom.xml");
    }

    private static String serverVersion() throws Exception {
        return text(pom(ROOT.resolve("pom.xml")), "version");
    }

    private static String nettyVersion() throws Exception {
        return text(child(pom(ROOT.resolve("pom.xml")), "properties"), "netty.version");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    private static List<String> names(Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    /** The JDK reads no tar; every Linux has tar. */
    private static void untar(Path archive, Path into, boolean gzip) throws Exception {
        Files.createDirectories(into);
        try (ChildProcess tar = ChildProcess.command("tar", gzip ? "-xzf" : "-xf", archive.toString(), "-C", into.toString())
                .name("tar").start()) {
            assertThat(tar.awaitExit(Duration.ofMinutes(2))).as("tar -x %s: %s", archive, tar.tail()).isZero();
        }
    }
}
