package io.sockeye.server.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionLimitsTest {

    private final ConnectionLimits limits = new ConnectionLimits(
            LimitsSettings.builder().maxConnectionsPerIp(3).maxConnectionsPerUser(2).build());

    @Test
    void refusesTheConnectionPastThePerIpLimit() {
        assertThat(limits.tryAcquire("10.0.0.1", null).acquired()).isTrue();
        assertThat(limits.tryAcquire("10.0.0.1", null).acquired()).isTrue();
        assertThat(limits.tryAcquire("10.0.0.1", null).acquired()).isTrue();
        ConnectionLimits.Attempt fourth = limits.tryAcquire("10.0.0.1", null);
        assertThat(fourth.acquired()).isFalse();
        assertThat(fourth.refusal()).isEqualTo(RejectionReason.CONNECTIONS_PER_IP);
        assertThat(limits.tryAcquire("10.0.0.2", null).acquired()).as("another address").isTrue();
    }

    @Test
    void refusesTheConnectionPastThePerUserLimitWithoutTakingAnIpSlot() {
        assertThat(limits.tryAcquire("10.0.0.1", "alice").acquired()).isTrue();
        assertThat(limits.tryAcquire("10.0.0.2", "alice").acquired()).isTrue();
        ConnectionLimits.Attempt third = limits.tryAcquire("10.0.0.3", "alice");
        assertThat(third.refusal()).isEqualTo(RejectionReason.CONNECTIONS_PER_USER);
        assertThat(limits.connectionsOfIp("10.0.0.3")).isZero();
        assertThat(limits.tryAcquire("10.0.0.3", "bob").acquired()).isTrue();
    }

    @Test
    void releasingGivesTheSlotsBackOnce() {
        ConnectionLimits.Slot slot = limits.tryAcquire("10.0.0.1", "alice").slot();
        limits.tryAcquire("10.0.0.1", "alice");
        slot.release();
        slot.release();
        assertThat(limits.connectionsOfIp("10.0.0.1")).isEqualTo(1);
        assertThat(limits.connectionsOfUser("alice")).isEqualTo(1);
    }

    @Test
    void anonymousConnectionsCountOnlyPerIp() {
        limits.tryAcquire("10.0.0.1", null);
        assertThat(limits.connectionsOfIp("10.0.0.1")).isEqualTo(1);
        assertThat(limits.connectionsOfUser("null")).isZero();
    }
}
