package io.sockeye.tests.distribution;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.sockeye.tests.distribution.StagedRepository.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user's project gets from Maven: {@code examples/bom-consumer} (the BOM and the Spring Boot starter,
 * nothing else) built by Maven against the artifacts this build packaged, as if installed; its server
 * answers a real Socket.IO client, and every Sockeye jar it received names its module.
 */
class BomConsumerTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    static Path work;
    private static Path project;
    private static List<Path> classPath;

    @BeforeAll
    static void buildTheConsumerFromTheBomOnly() throws Exception {
        StagedRepository repository = StagedRepository.stage(work.resolve("repository"),
                "sockeye-protocol", "sockeye-core", "sockeye-transport-netty", "sockeye-micrometer",
                "sockeye-spring-boot-autoconfigure", "sockeye-spring-boot-starter");
        project = work.resolve("bom-consumer");
        copy(ROOT.resolve("examples/bom-consumer"), project);
        Path classPathFile = work.resolve("classpath");
        NestedMaven.run(project, repository, "-Dsockeye.version=" + repository.version(),
                "compile", "dependency:build-classpath", "-Dmdep.outputFile=" + classPathFile);
        classPath = Stream.of(Files.readString(classPathFile).trim().split(":")).map(Path::of).toList();
    }

    @Test
    void aProjectWithOnlyTheBomAndTheStarterRunsAServerThatAnswersAClient() throws Exception {
        int port = FreePorts.next();
        String cp = project.resolve("target/classes") + ":" + classPath.stream().map(Path::toString).collect(Collectors.joining(":"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        try (ChildProcess app = ChildProcess.command(java, "-cp", cp, "com.example.consumer.ConsumerApplication",
                "--sockeye.port=" + port).name("bom-consumer").start()) {
            app.awaitLine("Started ConsumerApplication", START_TIMEOUT);

            IO.Options options = new IO.Options();
            options.forceNew = true;
            options.reconnection = false;
            options.transports = new String[] {"websocket"};
            Socket socket = IO.socket("http://127.0.0.1:" + port, options);
            try {
                CompletableFuture<Object> welcome = new CompletableFuture<>();
                socket.on("welcome", args -> welcome.complete(args[0]));
                socket.connect();
                assertThat(welcome.get(30, TimeUnit.SECONDS)).isEqualTo("hello from a BOM consumer");

                CompletableFuture<Object> ack = new CompletableFuture<>();
                socket.emit("echo", new Object[] {"hi"}, (Ack) args -> ack.complete(args[0]));
                assertThat(ack.get(30, TimeUnit.SECONDS)).isEqualTo("echo: hi");
            } finally {
                socket.close();
            }
        }
    }

    @Test
    void everySockeyeJarTheConsumerGetsNamesItsModuleAndTheyFormAModuleLayer() throws Exception {
        List<Path> sockeyeJars = classPath.stream().filter(jar -> jar.toString().contains("/io/sockeye/")).toList();
        assertThat(sockeyeJars).hasSizeGreaterThanOrEqualTo(6);
        // A module path resolves them: a jar without a valid name (it would get one from its file name,
        // "sockeye.core") or a package in two jars fails here.
        ModuleFinder finder = ModuleFinder.of(sockeyeJars.toArray(Path[]::new));
        Set<String> names = finder.findAll().stream().map(reference -> reference.descriptor().name()).collect(Collectors.toSet());
        assertThat(names).hasSameSizeAs(sockeyeJars).allSatisfy(name -> assertThat(name).startsWith("io.sockeye."));
        Configuration configuration = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), names);
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader());
        assertThat(layer.findModule("io.sockeye.core")).isPresent();
        assertThat(layer.findModule("io.sockeye.spring.starter")).isPresent();
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            List<Path> all = new ArrayList<>(files.filter(path -> !from.relativize(path).startsWith("target")).toList());
            for (Path path : all) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
