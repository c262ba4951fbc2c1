package io.sockeye.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker (the {@code org.apache.kafka:kafka_2.13} artifact of the project's Kafka
 * version) in KRaft mode, one node acting as broker and controller, as a child process on two free ports
 * of 127.0.0.1: its class path comes from Maven ({@code sockeye-tests/src/test/kafka/pom.xml}, resolved once
 * and kept beside it under {@code target/}), its storage is formatted with a random cluster id, and it is
 * ready once it logs that its broker started. {@link #kill()} and {@link #restart()} take it down and back on
 * the same ports and data. Used by the gateway's forwarding tests and benchmark.
 */
public final class KafkaBroker implements AutoCloseable {

    /** The broker's pom, from the repository root. */
    public static final Path POM_FROM_ROOT = Path.of("sockeye-tests", "src", "test", "kafka", "pom.xml");
    private static final Duration START = Duration.ofSeconds(90);
    private static final String STARTED = "Transition from STARTING to STARTED";

    private final Path pom;
    private final Path classpathFile;

    private final Path dir;
    private final int port;
    private final List<String> command;
    private ChildProcess process;

    private KafkaBroker(Path root, Path dir) throws IOException {
        this.pom = root.resolve(POM_FROM_ROOT).toAbsolutePath().normalize();
        this.classpathFile = pom.getParent().resolve("target").resolve("kafka-broker.classpath");
        this.dir = dir;
        this.port = FreePorts.next();
        int controller = FreePorts.next();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0", ""));
        String classpath = classpath();
        Files.createDirectories(dir);
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-cp", classpath);
        List<String> format = new ArrayList<>(java);
        format.addAll(List.of("kafka.tools.StorageTool", "format", "--cluster-id=" + clusterId(), "-c", config.toString()));
        try (ChildProcess formatting = ChildProcess.command(format).name("kafka-format").start()) {
            int exit = formatting.awaitExit(START);
            if (exit != 0) {
                throw new IllegalStateException("kafka storage format failed (" + exit + "):\n" + formatting.tail());
            }
        }
        this.command = new ArrayList<>(java);
        command.addAll(List.of("kafka.Kafka", config.toString()));
        launch();
    }

    /**
     * Starts a broker keeping its files in {@code dir}; returns once it is ready.
     *
     * @param root the repository root (where {@link #POM_FROM_ROOT} starts)
     */
    public static KafkaBroker start(Path root, Path dir) {
        try {
            return new KafkaBroker(root, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cluster id as Kafka writes them: 16 random bytes, base64url without padding (it may start with "-", so it is passed as --cluster-id=ID). */
    private static String clusterId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The broker's class path, resolved by Maven once (again when the pom changes). */
    private synchronized String classpath() throws IOException {
        if (!Files.exists(classpathFile)
                || Files.getLastModifiedTime(classpathFile).compareTo(Files.getLastModifiedTime(pom)) < 0) {
            // Offline first (the local repository is usually warm), then online.
            if (!resolve(true) && !resolve(false)) {
                throw new IllegalStateException("cannot resolve the Kafka broker's class path from " + pom);
            }
        }
        return Files.readString(classpathFile).trim();
    }

    private boolean resolve(boolean offline) {
        List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-q", "-ntp"));
        if (offline) {
            mvn.add("-o");
        }
        mvn.addAll(List.of("-f", pom.toString(), "dependency:build-classpath", "-Dmdep.outputFile=" + classpathFile));
        try (ChildProcess maven = ChildProcess.command(mvn).name("kafka-classpath").start()) {
            return maven.awaitExit(Duration.ofMinutes(5)) == 0 && Files.exists(classpathFile);
        }
    }

    private void launch() {
        process = ChildProcess.command(command).directory(dir).name("kafka-broker").start();
        process.awaitLine(STARTED, START);
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: the broker vanishes; returns once the process is gone. */
    public void kill() {
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        process.close();
    }

    /** Starts the broker again on the same ports and data (after {@link #kill()}). */
    public void restart() {
        launch();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
