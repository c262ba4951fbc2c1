package io.sockeye.tests.gateway;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real Apache Kafka broker (the {@code org.apache.kafka:kafka_2.13} artifact of the project's Kafka
 * version) in KRaft mode, one node acting as broker and controller, as a child process on two free ports
 * of 127.0.0.1: its class path comes from Maven ({@code src/test/kafka/pom.xml}, built once and kept under
 * {@code target/}), its storage is formatted with a random cluster id, and it is ready once an admin client
 * can describe the cluster. {@link #kill()} and {@link #restart()} take it down and back on the same ports
 * and data.
 */
final class KafkaBroker implements AutoCloseable {

    private static final Path POM = Path.of("src", "test", "kafka", "pom.xml").toAbsolutePath();
    private static final Path CLASSPATH = Path.of("target", "kafka-broker.classpath").toAbsolutePath();
    private static final Duration START = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final List<String> command;
    private ChildProcess process;

    private KafkaBroker(Path dir) throws IOException {
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
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-cp", classpath);
        List<String> format = new ArrayList<>(java);
        format.addAll(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
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

    /** Starts a broker keeping its files in {@code dir}; returns once it answers. */
    static KafkaBroker start(Path dir) {
        try {
            return new KafkaBroker(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The broker's class path, resolved by Maven once (again when the pom changes). */
    private static synchronized String classpath() throws IOException {
        if (!Files.exists(CLASSPATH) || Files.getLastModifiedTime(CLASSPATH).compareTo(Files.getLastModifiedTime(POM)) < 0) {
            // Offline first (the local repository is usually warm), then online.
            if (!resolve(true) && !resolve(false)) {
                throw new IllegalStateException("cannot resolve the Kafka broker's class path from " + POM);
            }
        }
        return Files.readString(CLASSPATH).trim();
    }

    private static boolean resolve(boolean offline) {
        List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-q", "-ntp"));
        if (offline) {
            mvn.add("-o");
        }
        mvn.addAll(List.of("-f", POM.toString(), "dependency:build-classpath", "-Dmdep.outputFile=" + CLASSPATH));
        try (ChildProcess maven = ChildProcess.command(mvn).name("kafka-classpath").start()) {
            return maven.awaitExit(Duration.ofMinutes(5)) == 0 && Files.exists(CLASSPATH);
        }
    }

    private void launch() {
        process = ChildProcess.command(command).directory(dir).name("kafka-broker").start();
        await().atMost(START).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(this::answers);
    }

    private boolean answers() throws Exception {
        if (!process.isAlive()) {
            throw new IllegalStateException("the Kafka broker exited:\n" + process.tail());
        }
        try (Admin admin = Admin.create(adminConfig())) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        }
    }

    private Properties adminConfig() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        return p;
    }

    /** {@code 127.0.0.1:<port>}. */
    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL: the broker vanishes; returns once the process is gone. */
    void kill() {
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        process.close();
    }

    /** Starts the broker again on the same ports and data (after {@link #kill()}). */
    void restart() {
        launch();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
