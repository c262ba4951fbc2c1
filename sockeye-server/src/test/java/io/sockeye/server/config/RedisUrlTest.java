package io.sockeye.server.config;

import io.lettuce.core.RedisURI;
import io.sockeye.server.Main;
import io.sockeye.server.config.RedisUrl.Topology;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How redis_url is read: the three Redis forms (one server, Sentinel, Cluster) read and checked, bad
 * ones refused with exit code 2. Connecting to them is in {@code io.sockeye.server.cluster}'s tests;
 * single-server clustering runs in sockeye-tests' cluster tests.
 */
class RedisUrlTest {

    @Test
    void redisModeIsClassicUnlessTheUrlSaysSharded() {
        assertThat(RedisUrl.redisMode(URI.create("redis://h:6379"))).isEqualTo("classic");
        assertThat(RedisUrl.redisMode(URI.create("redis://h:6379?mode=sharded"))).isEqualTo("sharded");
        assertThat(RedisUrl.redisMode(URI.create("redis://h:6379?timeout=5s&mode=SHARDED"))).isEqualTo("sharded");
        assertThat(RedisUrl.redisMode(URI.create("redis://h:6379?mode=fast"))).isNull();
    }

    @Test
    void theModeParameterIsNotPassedToLettuceButTheOthersAre() {
        assertThat(RedisUrl.withoutMode(URI.create("redis://:pw@h:6379/2?mode=sharded")))
                .isEqualTo("redis://:pw@h:6379/2");
        assertThat(RedisUrl.withoutMode(URI.create("redis://h:6379?timeout=5s&mode=sharded&clientName=x")))
                .isEqualTo("redis://h:6379?timeout=5s&clientName=x");
        assertThat(RedisUrl.withoutMode(URI.create("rediss://h"))).isEqualTo("rediss://h");
    }

    @Test
    void theAdapterIsPubSubUnlessTheUrlSaysStreamsAndNeitherParameterReachesLettuce() {
        assertThat(RedisUrl.parse("redis://h:6379").adapter()).isEqualTo("pubsub");
        RedisUrl streams = RedisUrl.parse("redis://:pw@h:6379/1?adapter=streams&timeout=5s");
        assertThat(streams.isStreams()).isTrue();
        assertThat(streams.describe()).isEqualTo("redis streams h:6379");
        assertThat(RedisUrl.parse("redis://h?adapter=STREAMS&mode=sharded").describe())
                .isEqualTo("redis streams sharded h:6379");
        assertThat(RedisUrl.withoutMode(URI.create("redis://h:6379/1?adapter=streams&timeout=5s&mode=sharded")))
                .isEqualTo("redis://h:6379/1?timeout=5s");
        assertThat(streams.lettuceUris().get(0).getDatabase()).isEqualTo(1);
        assertThatThrownBy(() -> RedisUrl.parse("redis://h?adapter=kafka"))
                .hasMessage("adapter must be pubsub or streams, got 'kafka'");
    }

    @Test
    void theConfigurationDescribesTheBusWithoutItsPassword() {
        ServerConfig config = ConfigLoader.load(new String[] {"--redis-url", "redis://:hunter2@h:6380?mode=sharded",
                "--sticky-cookie"});
        assertThat(config.stickyCookie()).isTrue();
        assertThat(config.toString()).contains("cluster=redis sharded h:6380").doesNotContain("hunter2");
    }

    // ---- Sentinel and Cluster URLs --------------------------------------------------------------

    @Test
    void aSentinelUrlNamesTheSentinelsAndTheMaster() {
        RedisUrl url = RedisUrl.parse("redis-sentinel://s3cret@10.0.0.1:26379,10.0.0.2/2?sentinelMasterId=orders&mode=sharded");

        assertThat(url.topology()).isEqualTo(Topology.SENTINEL);
        assertThat(url.mode()).isEqualTo("sharded");
        assertThat(url.hosts()).containsExactly("10.0.0.1:26379", "10.0.0.2:26379");
        assertThat(url.describe()).isEqualTo("redis sharded sentinel master orders at 10.0.0.1:26379,10.0.0.2:26379");
        RedisURI lettuce = url.lettuceUris().get(0);
        assertThat(lettuce.getSentinelMasterId()).isEqualTo("orders");
        assertThat(lettuce.getSentinels()).extracting(RedisURI::getPort).containsExactly(26379, 26379);
        assertThat(lettuce.getDatabase()).isEqualTo(2);
        assertThat(password(lettuce)).isEqualTo("s3cret");
    }

    @Test
    void theSentinelMasterMayAlsoBeNamedByTheFragment() {
        RedisUrl url = RedisUrl.parse("redis-sentinel://127.0.0.1:26379#mymaster");

        assertThat(url.masterId()).isEqualTo("mymaster");
        assertThat(url.mode()).isEqualTo("classic");
        assertThat(url.lettuceUris().get(0).getSentinelMasterId()).isEqualTo("mymaster");
    }

    @Test
    void aClusterUrlBecomesOneSeedPerNodeWithTheCredentials() {
        RedisUrl url = RedisUrl.parse("redis-cluster://:pw@127.0.0.1:7000,127.0.0.1:7001,127.0.0.1?mode=sharded");

        assertThat(url.topology()).isEqualTo(Topology.CLUSTER);
        assertThat(url.mode()).isEqualTo("sharded");
        List<RedisURI> seeds = url.lettuceUris();
        assertThat(seeds).extracting(RedisURI::getPort).containsExactly(7000, 7001, 6379);
        assertThat(seeds).allSatisfy(seed -> assertThat(password(seed)).isEqualTo("pw"));
        assertThat(url.describe()).isEqualTo("redis sharded Redis Cluster 127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:6379")
                .doesNotContain("pw");
        assertThat(RedisUrl.parse("rediss-cluster://h:7000").lettuceUris().get(0).isSsl()).isTrue();
    }

    @Test
    void theNewFormsAreAcceptedByTheConfigurationAndDescribedWithoutPasswords() {
        ServerConfig sentinel = ConfigLoader.load(new String[] {"--redis-url",
                "redis-sentinel://hunter2@127.0.0.1:26379,127.0.0.1:26380?sentinelMasterId=mymaster"});
        assertThat(sentinel.toString()).contains("cluster=redis classic sentinel master mymaster at 127.0.0.1:26379,127.0.0.1:26380")
                .doesNotContain("hunter2");
        ServerConfig cluster = ConfigLoader.load(new String[] {"--redis-url", "redis-cluster://h1:7000,h2:7000?mode=sharded"});
        assertThat(cluster.toString()).contains("cluster=redis sharded Redis Cluster h1:7000,h2:7000");
    }

    @Test
    void badSentinelAndClusterUrlsStopTheStartWithExitCode2() {
        assertRefused("redis-sentinel://127.0.0.1:26379",
                "redis_url (from --redis-url): redis-sentinel:// needs the name of the master the sentinels watch: "
                        + "add ?sentinelMasterId=<name>");
        assertRefused("redis-cluster://h1:7000,h2:7000?mode=fast",
                "redis_url (from --redis-url): mode must be classic or sharded, got 'fast'");
        assertRefused("redis-cluster://h1:7000/3", "redis_url (from --redis-url): a Redis Cluster has only database 0, got '3'");
        assertRefused("redis://h1:6379,h2:6379",
                "redis_url (from --redis-url): redis:// takes one host (got h1:6379,h2:6379); for several use "
                        + "redis-sentinel:// or redis-cluster://");
        assertRefused("redis-cluster://h1:7000,h2:port", "redis_url (from --redis-url): bad port in 'h2:port'");
        assertRefused("redis-cluster://:secret@h1:7000,", "redis_url (from --redis-url): URL has no host");
        assertRefused("rediscluster://h1:7000", "redis_url (from --redis-url): must be a URL starting with redis://, "
                + "rediss://, redis-sentinel://, rediss-sentinel://, redis-cluster://, rediss-cluster://");
    }

    private static String password(RedisURI uri) {
        return new String(uri.getCredentialsProvider().resolveCredentials().block().getPassword());
    }

    private static void assertRefused(String redisUrl, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Configured configured = Main.configure(new String[] {"--redis-url", redisUrl}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(configured.start()).as("%s must be refused", redisUrl).isFalse();
        assertThat(configured.exitCode()).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(message).doesNotContain("secret");
    }
}
