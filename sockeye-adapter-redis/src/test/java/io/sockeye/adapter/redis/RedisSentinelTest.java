package io.sockeye.adapter.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sockeye.core.Args;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nodes given a {@code redis-sentinel://} URI: they connect to the master the Sentinel names, reach
 * each other through it, and after a failover come back on the new master (a real master, replica
 * and Sentinel; the failover is {@code SENTINEL FAILOVER}).
 */
class RedisSentinelTest {

    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static final String CLASSIC_REQUESTS = "socket.io-request#/#";
    private static final String SHARDED_MAIN = "socket.io#/#";

    private RedisSentinelServers redis;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisSentinelServers.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        redis.close();
    }

    private record Node(RedisAdapterFactory redis, SocketIoServer io) {
        /** The names of the other nodes that answered a {@code who} server-side emit. */
        List<Object> askOthers() throws Exception {
            return io.serverSideEmitWithAck("who").get(30, TimeUnit.SECONDS).stream()
                    .map(args -> args.get(0)).toList();
        }
    }

    /** A Sockeye node (no transport) on the Sentinel's master, answering {@code who} with its name. */
    private Node node(String name, boolean sharded) {
        RedisURI uri = RedisURI.create(redis.url());
        RedisAdapterOptions options = RedisAdapterOptions.builder().requestsTimeout(Duration.ofSeconds(5)).build();
        RedisAdapterFactory factory = sharded ? RedisAdapterFactory.sharded(uri, options)
                : RedisAdapterFactory.classic(uri, options);
        opened.add(factory);
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder().adapterFactory(factory).build());
        opened.add(io::close);
        io.on("who", (Args args, io.sockeye.core.Ack ack) -> ack.send(name));
        assertThat(factory.adapter("/").ready()).succeedsWithin(AWAIT);
        return new Node(factory, io);
    }

    private long subscribersOn(int port, boolean sharded) {
        try (StatefulRedisConnection<String, String> connection = redis.connect(port)) {
            Map<String, Long> counts = sharded ? connection.sync().pubsubShardNumsub(SHARDED_MAIN)
                    : connection.sync().pubsubNumsub(CLASSIC_REQUESTS);
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    @ParameterizedTest(name = "sharded={0}")
    @ValueSource(booleans = {false, true})
    void nodesReachEachOtherThroughTheMasterTheSentinelNames(boolean sharded) throws Exception {
        Node a = node("a", sharded);
        node("b", sharded);

        await().atMost(AWAIT).until(() -> a.redis().adapter("/").serverCount().join() == 2);
        assertThat(a.askOthers()).containsExactly("b");
        assertThat(subscribersOn(redis.masterPort(), sharded)).isEqualTo(2);
        assertThat(subscribersOn(redis.replicaPort(), sharded)).isZero();
    }

    @Test
    void afterAFailoverTheNodesFollowTheNewMasterAndReachEachOtherAgain() {
        Node a = node("a", false);
        Node b = node("b", false);
        await().atMost(AWAIT).until(() -> a.redis().adapter("/").serverCount().join() == 2);

        redis.failoverToReplica();

        // The Sentinel disconnects the clients of the demoted master; both nodes reconnect, ask the
        // Sentinel again, and subscribe on the promoted replica.
        // (The Sentinel reconfigures the old master on its next INFO to it, every 10 s: allow several.)
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(50))
                .until(() -> subscribersOn(redis.replicaPort(), false) == 2);
        assertThat(subscribersOn(redis.masterPort(), false)).isZero();
        // Requests cross again once both publishing connections are back too.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> a.askOthers().equals(List.of("b")) && b.askOthers().equals(List.of("a")));
        assertThat(a.redis().isConnected()).isTrue();
        // Counted by a connection listener, which may run after the connection already works.
        await().atMost(AWAIT).untilAsserted(() -> assertThat(a.redis().stats().reconnects()).isPositive());
    }
}
