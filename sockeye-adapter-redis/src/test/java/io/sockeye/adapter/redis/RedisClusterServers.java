package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real Redis Cluster of masters only, each a {@code redis-server} child process on free ports (client
 * and cluster bus) in its own temporary directory, joined by {@code redis-cli --cluster create} and
 * returned once every node reports {@code cluster_state:ok}.
 */
final class RedisClusterServers implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path root;
    private final List<Integer> ports = new ArrayList<>();
    private final List<ChildProcess> processes = new ArrayList<>();

    private RedisClusterServers(Path root) {
        this.root = root;
    }

    /** Starts {@code masters} nodes (at least 3, Redis's minimum) and forms the cluster. */
    static RedisClusterServers start(int masters) {
        RedisClusterServers cluster;
        try {
            cluster = new RedisClusterServers(Files.createTempDirectory("sockeye-redis-cluster"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            for (int i = 0; i < masters; i++) {
                cluster.launchNode();
            }
            cluster.create();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void launchNode() {
        int port = FreePorts.next();
        int busPort = FreePorts.next();
        Path dir = root.resolve(String.valueOf(port));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildProcess process = ChildProcess.command(RedisServer.executable("redis-server"),
                        "--port", String.valueOf(port), "--cluster-port", String.valueOf(busPort),
                        "--bind", "127.0.0.1", "--dir", dir.toString(),
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "2000", "--save", "", "--appendonly", "no")
                .name("redis-cluster-" + port).start();
        processes.add(process);
        ports.add(port);
        process.awaitLine("Ready to accept connections", START_TIMEOUT);
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of(RedisServer.executable("redis-cli"), "--cluster", "create"));
        ports.forEach(port -> command.add("127.0.0.1:" + port));
        command.add("--cluster-yes");
        try (ChildProcess cli = ChildProcess.command(command).name("redis-cli-cluster-create").start()) {
            int exit = cli.awaitExit(Duration.ofSeconds(60));
            if (exit != 0) {
                throw new AssertionError("redis-cli --cluster create failed (" + exit + "):\n" + cli.tail());
            }
        }
        RedisClient client = RedisClient.create();
        try {
            for (int port : ports) {
                try (StatefulRedisConnection<String, String> node = client.connect(RedisURI.create("127.0.0.1", port))) {
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                            .until(() -> node.sync().clusterInfo().contains("cluster_state:ok"));
                }
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** Every node as a seed for a cluster client. */
    List<RedisURI> seeds() {
        return ports.stream().map(port -> RedisURI.create("127.0.0.1", port)).toList();
    }

    /** The standalone server's form: {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,…}. */
    String url() {
        return "redis-cluster://" + ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    @Override
    public void close() {
        processes.forEach(ChildProcess::close);
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
