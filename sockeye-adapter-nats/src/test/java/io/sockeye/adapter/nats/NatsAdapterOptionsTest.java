package io.sockeye.adapter.nats;

import io.nats.client.ReconnectDelayHandler;
import io.sockeye.core.adapter.ClusterAdapterOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NatsAdapterOptionsTest {

    @Test
    void hasDocumentedDefaults() {
        NatsAdapterOptions options = NatsAdapterOptions.defaults();

        assertThat(options.subjectPrefix()).isEqualTo("sockeye");
        assertThat(options.subscriptionMode()).isEqualTo(SubscriptionMode.STATIC);
        assertThat(options.cluster().requestsTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.cluster().heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.cluster().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.maxPendingBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(options.reconnectWaitMin()).isEqualTo(Duration.ofMillis(100));
        assertThat(options.reconnectWaitMax()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void refusesPrefixesThatAreNotPlainSubjectTokens() {
        for (String bad : new String[]{"", "a.", ".a", "a..b", "a.*", "a.>", "with space", "a/b"}) {
            assertThatThrownBy(() -> NatsAdapterOptions.builder().subjectPrefix(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subjectPrefix");
        }
        assertThat(NatsAdapterOptions.builder().subjectPrefix("app.eu-1_b").build().subjectPrefix()).isEqualTo("app.eu-1_b");
    }

    @Test
    void refusesClusterOptionsWithoutHeartbeats() {
        ClusterAdapterOptions noHeartbeats = ClusterAdapterOptions.defaults().withHeartbeat(null, null);

        assertThatThrownBy(() -> NatsAdapterOptions.builder().cluster(noHeartbeats))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeat");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        NatsAdapterOptions options = NatsAdapterOptions.builder().subjectPrefix("x").subscriptionMode(SubscriptionMode.DYNAMIC)
                .maxPendingBytes(1024).reconnectWait(Duration.ofMillis(10), Duration.ofMillis(20))
                .pingInterval(Duration.ofSeconds(1)).build();

        NatsAdapterOptions copy = options.toBuilder().build();

        assertThat(copy).usingRecursiveComparison().isEqualTo(options);
    }

    @Test
    void reconnectWaitsDoubleUpToTheMaximumWithJitterBelow() {
        ReconnectDelayHandler backoff = NatsAdapterFactory.backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

        assertThat(backoff.getWaitTime(1)).isBetween(Duration.ofMillis(75), Duration.ofMillis(100));
        assertThat(backoff.getWaitTime(2)).isBetween(Duration.ofMillis(150), Duration.ofMillis(200));
        assertThat(backoff.getWaitTime(7)).isBetween(Duration.ofMillis(3750), Duration.ofSeconds(5));
        assertThat(backoff.getWaitTime(1_000)).isBetween(Duration.ofMillis(3750), Duration.ofSeconds(5));
    }
}
