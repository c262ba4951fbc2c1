package io.sockeye.server.cluster;

import io.sockeye.core.Ack;
import io.sockeye.core.Args;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.server.config.ConfigLoader;
import io.sockeye.server.config.ServerConfig;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code redis_url} pointing at a real Sentinel and a real Redis Cluster, and with
 * {@code adapter=streams}: two nodes made by {@link ClusterBus#open} from the configuration reach each
 * other (a server-side emit answered across, and with streams a broadcast read from the stream).
 */
class RedisTopologiesTest {

    private static final Duration START = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<ClusterBus> buses = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void nodesConfiguredWithASentinelUrlReachEachOther() throws IOException {
        int master = redisServer(dir.resolve("master"));
        int sentinelPort = FreePorts.next();
        Path config = dir.resolve("sentinel.conf");
        Files.writeString(config, "port " + sentinelPort + "\nbind 127.0.0.1\ndir " + dir
                + "\nsentinel monitor mymaster 127.0.0.1 " + master + " 1\n");
        ChildProcess sentinel = ChildProcess.command("redis-server", config.toString(), "--sentinel")
                .name("redis-sentinel-" + sentinelPort).start();
        opened.add(sentinel);
        sentinel.awaitLine("\\+monitor master mymaster", START);

        String url = "redis-sentinel://127.0.0.1:" + sentinelPort + "?sentinelMasterId=mymaster&mode=sharded";
        SocketIoServer a = node(url, "a");
        node(url, "b");

        assertAnswers(a, "b");
    }

    @Test
    void nodesConfiguredWithAClusterUrlReachEachOther() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int port = FreePorts.next();
            ports.add(port);
            redisServer(dir.resolve("node" + i), port, "--cluster-enabled", "yes", "--cluster-port",
                    String.valueOf(FreePorts.next()), "--cluster-config-file", "nodes.conf");
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        ports.forEach(port -> create.add("127.0.0.1:" + port));
        create.add("--cluster-yes");
        try (ChildProcess cli = ChildProcess.command(create).name("redis-cli-cluster-create").start()) {
            assertThat(cli.awaitExit(Duration.ofSeconds(60))).as(cli.tail()).isZero();
        }
        for (int port : ports) {
            await().atMost(START).pollInterval(Duration.ofMillis(50)).until(() -> clusterStateOk(port));
        }

        // One seed is enough: the client learns the other masters from it.
        String url = "redis-cluster://127.0.0.1:" + ports.get(0) + "?mode=sharded";
        SocketIoServer a = node(url, "a");
        SocketIoServer b = node(url.replace(String.valueOf(ports.get(0)), String.valueOf(ports.get(1))), "b");

        assertAnswers(a, "b");
        assertAnswers(b, "a");

        // The streams adapter on the same cluster: its stream lives on the shard owning its key.
        SocketIoServer c = node(url.replace("mode=sharded", "adapter=streams"), "c");
        node(url.replace("mode=sharded", "adapter=streams"), "d");
        assertAnswers(c, "d");
        assertBroadcastRead(c, buses.get(buses.size() - 1));
    }

    @Test
    void nodesConfiguredWithTheStreamsAdapterReachEachOther() {
        String url = "redis://127.0.0.1:" + redisServer(dir.resolve("streams")) + "?adapter=streams";
        SocketIoServer a = node(url, "a");
        node(url, "b");
        assertThat(buses.get(0)).hasToString(url.replace("redis://", "redis streams ").replace("?adapter=streams", ""));

        assertAnswers(a, "b");
        assertBroadcastRead(a, buses.get(1));
    }

    /** A broadcast from {@code from} is appended to the stream and read by the other node's bus. */
    private static void assertBroadcastRead(SocketIoServer from, ClusterBus other) {
        long before = other.stats().received();
        from.emit("news", 1);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> other.stats().received() > before);
    }

    /** A node as the server makes it: configuration → ClusterBus → Socket.IO server; answers {@code who}. */
    private SocketIoServer node(String redisUrl, String name) {
        ServerConfig config = ConfigLoader.load(new String[] {"--redis-url", redisUrl});
        ClusterBus bus = ClusterBus.open(config);
        opened.add(bus);
        buses.add(bus);
        assertThat(bus.isConnected()).isTrue();
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder().adapterFactory(bus.adapterFactory()).build());
        opened.add(io::close);
        io.on("who", (Args args, Ack ack) -> ack.send(name));
        return io;
    }

    private static boolean clusterStateOk(int port) {
        try (ChildProcess info = ChildProcess.command("redis-cli", "-p", String.valueOf(port), "cluster", "info")
                .name("redis-cli-cluster-info").start()) {
            return info.awaitExit(Duration.ofSeconds(5)) == 0
                    && info.lines().stream().anyMatch(line -> line.contains("cluster_state:ok"));
        }
    }

    private static void assertAnswers(SocketIoServer from, String other) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> from.serverSideEmitWithAck("who").get(10, TimeUnit.SECONDS).stream()
                        .map(args -> args.get(0)).toList().equals(List.of(other)));
    }

    private int redisServer(Path workDir) {
        int port = FreePorts.next();
        redisServer(workDir, port);
        return port;
    }

    private void redisServer(Path workDir, int port, String... extra) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind",
                "127.0.0.1", "--dir", workDir.toString(), "--save", "", "--appendonly", "no"));
        command.addAll(List.of(extra));
        ChildProcess process = ChildProcess.command(command).name("redis-server-" + port).start();
        opened.add(process);
        process.awaitLine("Ready to accept connections", START);
    }
}
