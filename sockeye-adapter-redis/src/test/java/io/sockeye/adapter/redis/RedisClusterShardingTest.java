package io.sockeye.adapter.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sharded adapter on a real three-master Redis Cluster spreads rooms over the shards: each room's
 * channel is subscribed and published on the master owning its slot, nowhere else.
 */
class RedisClusterShardingTest {

    private static final Duration AWAIT = Duration.ofSeconds(30);

    private static RedisClusterServers cluster;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterServers.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeOpened() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private record Node(RedisAdapterFactory redis, SocketIoServer io) {
    }

    /** A Sockeye node (no transport) on the cluster, through the factory's own cluster client. */
    private Node node() {
        RedisAdapterFactory factory = RedisAdapterFactory.shardedCluster(cluster.seeds(), RedisAdapterOptions.defaults());
        opened.add(factory);
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder().adapterFactory(factory).build());
        opened.add(io::close);
        io.of("/");
        assertThat(factory.adapter("/").ready()).succeedsWithin(AWAIT);
        return new Node(factory, io);
    }

    @Test
    void roomChannelsAreSubscribedAndPublishedOnTheMasterOwningTheirSlot() {
        Map<Integer, String> roomByMaster = oneRoomPerMaster();
        assertThat(roomByMaster).as("a room for each of the three masters").hasSize(3);

        Node publisher = node();
        Node member = node();
        ShardedRedisAdapter memberAdapter = (ShardedRedisAdapter) member.redis().adapter("/");
        memberAdapter.addAll("socket-on-member", Set.copyOf(roomByMaster.values()));
        assertThat(memberAdapter.roomSubscriptionsSettled()).succeedsWithin(AWAIT);
        assertThat(member.redis().stats().roomSubscriptions()).isEqualTo(3);

        for (Map.Entry<Integer, String> entry : roomByMaster.entrySet()) {
            String channel = roomChannel(entry.getValue());
            RedisClient direct = RedisClient.create(RedisURI.create("127.0.0.1", entry.getKey()));
            opened.add(() -> direct.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
            // Subscribed there, by the member node (and on no other master: each lists only its own)...
            try (StatefulRedisConnection<String, String> master = direct.connect()) {
                assertThat(master.sync().pubsubShardChannels("socket.io#/#room-*")).containsExactly(channel);
            }
            // ...and published there: a listener on that master alone receives the broadcast.
            try (Capture capture = new Capture(direct)) {
                capture.ssubscribe(channel);
                publisher.io().to(entry.getValue()).emit("news", entry.getKey());
                Capture.Published published = capture.next(0);
                assertThat(published.channel()).isEqualTo(channel);
                assertThat(published.text()).contains("news");
            }
        }
        assertThat(publisher.redis().stats().publishErrors()).isZero();
        assertThat(member.redis().stats().receiveErrors()).isZero();
    }

    @Test
    void serverCountCountsTheNodesOnTheShardOfTheMainChannel() {
        Node one = node();
        node();
        node();

        await().atMost(AWAIT).until(() -> one.redis().adapter("/").serverCount().join() == 3);
    }

    /** Rooms {@code room-0}, {@code room-1}… until each master owns one room's channel; by master port. */
    private static Map<Integer, String> oneRoomPerMaster() {
        RedisClusterClient client = RedisClusterClient.create(cluster.seeds());
        try (StatefulRedisClusterConnection<String, String> admin = client.connect()) {
            Map<Integer, String> rooms = new LinkedHashMap<>();
            for (int i = 0; rooms.size() < 3 && i < 1000; i++) {
                String room = "room-" + i;
                int port = admin.getPartitions().getMasterBySlot(SlotHash.getSlot(roomChannel(room))).getUri().getPort();
                rooms.putIfAbsent(port, room);
            }
            return rooms;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static String roomChannel(String room) {
        return "socket.io#/#" + room + "#";
    }
}
