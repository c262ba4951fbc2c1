package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A Redis master, one replica and one Sentinel watching them (quorum 1), each a real child process on
 * free ports. Returned once the Sentinel knows both, so that a failover can be asked for at once.
 */
final class RedisSentinelServers implements AutoCloseable {

    static final String MASTER_NAME = "mymaster";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final RedisServer master;
    private final RedisServer replica;
    private final int sentinelPort = FreePorts.next();
    private final Path dir;
    private final RedisClient client = RedisClient.create();
    private ChildProcess sentinel;

    private RedisSentinelServers(RedisServer master, RedisServer replica, Path dir) {
        this.master = master;
        this.replica = replica;
        this.dir = dir;
    }

    static RedisSentinelServers start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("sockeye-redis-sentinel");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A replica stores its master's snapshot on disk when it syncs (also the old master after a
        // failover): both work in the temporary directory.
        RedisServer master = RedisServer.start(List.of("--dir", dir.toString()));
        RedisServer replica = null;
        RedisSentinelServers servers = null;
        try {
            replica = RedisServer.start(List.of("--replicaof", "127.0.0.1", String.valueOf(master.port()),
                    "--dir", dir.toString()));
            servers = new RedisSentinelServers(master, replica, dir);
            servers.awaitReplicating();
            servers.launchSentinel();
            return servers;
        } catch (RuntimeException | Error e) {
            if (servers != null) {
                servers.close();
            } else {
                master.close();
                if (replica != null) {
                    replica.close();
                }
            }
            throw e;
        }
    }

    private void awaitReplicating() {
        try (StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create("127.0.0.1", replica.port()))) {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> connection.sync().info("replication").contains("master_link_status:up"));
        }
    }

    private void launchSentinel() {
        Path config = dir.resolve("sentinel.conf");
        write(config, String.join("\n",
                "port " + sentinelPort,
                "bind 127.0.0.1",
                "dir " + dir,
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
                "sentinel down-after-milliseconds " + MASTER_NAME + " 2000",
                "sentinel failover-timeout " + MASTER_NAME + " 10000",
                ""));
        sentinel = ChildProcess.command(RedisServer.executable("redis-server"), config.toString(), "--sentinel")
                .name("redis-sentinel-" + sentinelPort).start();
        sentinel.awaitLine("\\+monitor master " + MASTER_NAME, START_TIMEOUT);
        try (StatefulRedisSentinelConnection<String, String> connection = sentinelConnection()) {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> connection.sync().replicas(MASTER_NAME).stream()
                            .anyMatch(r -> r.get("flags").equals("slave")
                                    && r.get("master-link-status").equals("ok")));
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StatefulRedisSentinelConnection<String, String> sentinelConnection() {
        return client.connectSentinel(RedisURI.create("127.0.0.1", sentinelPort));
    }

    /** {@code redis-sentinel://127.0.0.1:<port>?sentinelMasterId=mymaster}. */
    String url() {
        return "redis-sentinel://127.0.0.1:" + sentinelPort + "?sentinelMasterId=" + MASTER_NAME;
    }

    int masterPort() {
        return master.port();
    }

    int replicaPort() {
        return replica.port();
    }

    /** Asks the Sentinel to fail over, and waits until it names the replica as the master. */
    void failoverToReplica() {
        try (StatefulRedisSentinelConnection<String, String> connection = sentinelConnection()) {
            connection.sync().failover(MASTER_NAME);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                SocketAddress address = connection.sync().getMasterAddrByName(MASTER_NAME);
                return address instanceof InetSocketAddress inet && inet.getPort() == replica.port();
            });
        }
    }

    /** A plain connection to the server on {@code port}, for the test's own checks. */
    StatefulRedisConnection<String, String> connect(int port) {
        return client.connect(RedisURI.create("127.0.0.1", port));
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        if (sentinel != null) {
            sentinel.close();
        }
        replica.close();
        master.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
