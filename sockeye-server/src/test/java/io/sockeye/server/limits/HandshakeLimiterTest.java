package io.sockeye.server.limits;

import io.sockeye.testkit.ManualClock;
import io.sockeye.core.RequestInfo;
import io.sockeye.netty.HandshakeFilter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeLimiterTest {

    private final ManualClock clock = new ManualClock(5_000_000);
    private final Stats stats = new Stats();

    private static RequestInfo handshake(String ip) {
        return new RequestInfo("GET", "/socket.io/?EIO=4&transport=polling", "/socket.io/",
                Map.of("EIO", "4", "transport", "polling"), Map.of(), ip, false);
    }

    @Test
    void answers503WithRetryAfterPastThePerIpRate() {
        HandshakeLimiter limiter = new HandshakeLimiter(
                LimitsSettings.builder().handshakesPerSecondPerIp(2).build(), clock, stats);
        assertThat(limiter.check(handshake("10.0.0.1"))).isNull();
        assertThat(limiter.check(handshake("10.0.0.1"))).isNull();

        HandshakeFilter.Rejection r = limiter.check(handshake("10.0.0.1"));
        assertThat(r).isNotNull();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.retryAfterSeconds()).isEqualTo(1);
        assertThat(r.jsonBody()).startsWith("{\"ok\":false,\"error\":{\"code\":\"unavailable\"");
        assertThat(stats.rejections(RejectionReason.HANDSHAKE_RATE_IP)).isEqualTo(1);

        assertThat(limiter.check(handshake("10.0.0.2"))).as("another address is not affected").isNull();
        clock.advance(Duration.ofMillis(500));
        assertThat(limiter.check(handshake("10.0.0.1"))).as("refilled").isNull();
    }

    @Test
    void answers503PastTheGlobalRate() {
        HandshakeLimiter limiter = new HandshakeLimiter(
                LimitsSettings.builder().handshakesPerSecond(3).build(), clock, stats);
        assertThat(limiter.check(handshake("10.0.0.1"))).isNull();
        assertThat(limiter.check(handshake("10.0.0.2"))).isNull();
        assertThat(limiter.check(handshake("10.0.0.3"))).isNull();
        assertThat(limiter.check(handshake("10.0.0.4")).status()).isEqualTo(503);
        assertThat(stats.rejections(RejectionReason.HANDSHAKE_RATE_GLOBAL)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.check(handshake("10.0.0.4"))).isNull();
    }

    @Test
    void forgetsIdleAddresses() {
        HandshakeLimiter limiter = new HandshakeLimiter(LimitsSettings.defaults(), clock, stats);
        KeyedRateLimiter perIp = new KeyedRateLimiter(1, 1, clock);
        for (int i = 0; i < 100; i++) {
            perIp.tryTake("10.0.1." + i);
        }
        assertThat(perIp.size()).isEqualTo(100);
        clock.advance(Duration.ofMillis(KeyedRateLimiter.SWEEP_INTERVAL_MILLIS));
        perIp.tryTake("10.0.2.1");
        assertThat(perIp.size()).isEqualTo(1);
        assertThat(limiter.check(handshake("10.0.0.1"))).isNull();
    }
}
