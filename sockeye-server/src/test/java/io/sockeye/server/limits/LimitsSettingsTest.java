package io.sockeye.server.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LimitsSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        LimitsSettings d = LimitsSettings.defaults();
        assertThat(d.eventsPerSecond()).isEqualTo(50);
        assertThat(d.eventBurst()).isEqualTo(100);
        assertThat(d.abuseDisconnectAfter()).isEqualTo(200);
        assertThat(d.maxPayloadBytes()).isEqualTo(65_536);
        assertThat(d.maxRoomsPerConnection()).isEqualTo(256);
        assertThat(d.maxConnectionsPerIp()).isEqualTo(1_000);
        assertThat(d.maxConnectionsPerUser()).isEqualTo(100);
        assertThat(d.handshakesPerSecond()).isEqualTo(1_000);
        assertThat(d.handshakesPerSecondPerIp()).isEqualTo(20);
        assertThat(d.apiMaxBodyBytes()).isEqualTo(1_048_576);
    }

    @Test
    void builderChangesOnlyWhatItIsTold() {
        LimitsSettings s = LimitsSettings.builder().eventBurst(7).build();
        assertThat(s.eventBurst()).isEqualTo(7);
        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThat(s.eventsPerSecond()).isEqualTo(LimitsSettings.defaults().eventsPerSecond());
    }

    @Test
    void aNonPositiveLimitIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> LimitsSettings.builder().maxPayloadBytes(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPayloadBytes");
        assertThatThrownBy(() -> LimitsSettings.builder().handshakesPerSecondPerIp(-1).build())
                .hasMessageContaining("handshakesPerSecondPerIp");
    }
}
