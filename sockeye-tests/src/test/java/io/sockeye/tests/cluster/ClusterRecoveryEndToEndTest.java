package io.sockeye.tests.cluster;

import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.NodeRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connection state recovery across a cluster, with the real npm {@code socket.io-client} 4.8: two
 * launched nodes ({@link ClusterRecoveryNode}, each its own JVM) on the classic Redis adapter over a
 * real {@code redis-server}, whose history and sessions live in Redis. The client starts on node A and
 * recovers on node B after its connection dropped, and after node A was killed with SIGKILL; a client
 * away while Redis restarted without persistence comes back with {@code recovered:false}. On the
 * sharded adapter (node-local history) a client recovers on its own node and is told it did not on the
 * other. The node scenarios are in {@code src/test/node/cluster-recovery}.
 */
@DisplayName("cluster: a client recovers on another node, also after its node died; never partially")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterRecoveryEndToEndTest {

    private static final Path PROJECT = Path.of("src", "test", "node");
    private static final Duration START = Duration.ofSeconds(60);

    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void installClient() {
        NodeRunner.ensureInstalled(PROJECT);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void aClientThatDropsRecoversOnTheOtherNode() {
        scenario("other-node");
    }

    @Test
    void aClientWhoseNodeWasKilledRecoversOnTheSurvivor() {
        scenario("node-killed");
    }

    /**
     * The scenario asks for the restart by writing {@code restart} into a directory both sides know;
     * the test kills Redis (no persistence: everything it held is gone), starts it again on the same
     * port and answers with {@code restarted}.
     */
    @Test
    void aClientAwayWhileRedisRestartedWithoutPersistenceIsNotRecovered(@TempDir Path control) {
        scenario("redis-restarted", Map.of("SOCKEYE_REDIS_CONTROL", control.toAbsolutePath().toString()), (redis, client) -> {
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.exists(control.resolve("restart")) || !client.isAlive());
            if (client.isAlive()) {
                redis.kill();
                redis.restart();
                Files.writeString(control.resolve("restarted"), "");
            }
        });
    }

    /**
     * The sharded adapter keeps history on each node: the client recovers on the node it left, and on
     * the other node gets {@code recovered:false} with none of what it missed, never part of it.
     */
    @Test
    void onTheShardedAdapterAClientRecoversOnItsNodeOnlyAndIsToldSoOnTheOther() {
        scenario("sharded-node-local", "sharded", Map.of(), (redis, client) -> { });
    }

    private void scenario(String name) {
        scenario(name, Map.of(), (redis, client) -> { });
    }

    private void scenario(String name, Map<String, String> env, Beside beside) {
        scenario(name, "classic", env, beside);
    }

    /** What the test does beside a running scenario. */
    private interface Beside {
        void run(BusProcess redis, ChildProcess client) throws Exception;
    }

    private void scenario(String name, String adapter, Map<String, String> env, Beside beside) {
        BusProcess redis = BusProcess.redis();
        running.add(redis);
        ChildProcess a = node("a", redis.url(), adapter);
        ChildProcess b = node("b", redis.url(), adapter);
        ProcessHandle jvm = ProcessHandle.of(a.pid()).orElseThrow();
        assertThat(jvm.info().command()).as("the pid is the server's JVM, which the scenario may kill")
                .hasValueSatisfying(command -> assertThat(Path.of(command).getFileName()).hasToString("java"));

        ChildProcess client = ChildProcess.command(NodeRunner.node().toString(), "--test", "--test-reporter=spec",
                        "--test-force-exit", Path.of("cluster-recovery", name + ".test.mjs").toString())
                .directory(PROJECT)
                .name("node-cluster-recovery-" + name)
                .env("SOCKEYE_URL", url(a))
                .env("SOCKEYE_A", url(a))
                .env("SOCKEYE_B", url(b))
                .env("SOCKEYE_A_PID", Long.toString(a.pid()))
                .env("NO_COLOR", "1")
                .env(env)
                .start();
        running.add(client);
        try {
            beside.run(redis, client);
        } catch (Exception e) {
            throw new AssertionError("scenario " + name + ": " + e + "; node's report:\n" + client.tail(), e);
        }
        int exit = client.awaitExit(Duration.ofMinutes(2));
        assertThat(exit).as(() -> "scenario " + name + " failed; node's report:\n" + client.tail()
                + "\nnode A:\n" + a.tail() + "\nnode B:\n" + b.tail()).isZero();
    }

    private ChildProcess node(String name, String redisUrl, String adapter) {
        String java = ProcessHandle.current().info().command().orElse("java");
        ChildProcess node = ChildProcess.command(java, "-Dlogback.configurationFile=cluster-recovery-node-logback.xml",
                        "-cp", System.getProperty("java.class.path"),
                        ClusterRecoveryNode.class.getName(), redisUrl, adapter)
                .name("cluster-recovery-node-" + name)
                .start();
        running.add(node);
        node.awaitLine("SOCKEYE_URL=(\\S+)", START);
        return node;
    }

    private static String url(ChildProcess node) {
        return node.awaitLine("SOCKEYE_URL=(\\S+)", Duration.ofSeconds(30)).group(1);
    }
}
