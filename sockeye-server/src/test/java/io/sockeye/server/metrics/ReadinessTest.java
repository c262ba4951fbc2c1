package io.sockeye.server.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessTest {

    @Test
    void pendingClusterSubscriptionsKeepAConnectedNodeNotReadyWithTheirReason() {
        Readiness readiness = new Readiness();
        readiness.clusterBusConfigured("nats 127.0.0.1:4222");
        readiness.setClusterSubscriptionsPending(true);

        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.reasons()).containsExactly("cluster subscriptions pending");
        assertThat(readiness.status().clusterBus()).isEqualTo("up");

        readiness.setClusterSubscriptionsPending(false);

        assertThat(readiness.ready()).isTrue();
        assertThat(readiness.reasons()).isEmpty();
    }
}
