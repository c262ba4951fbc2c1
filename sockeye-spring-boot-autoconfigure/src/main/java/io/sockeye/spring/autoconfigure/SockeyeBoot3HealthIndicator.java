package io.sockeye.spring.autoconfigure;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/** {@link SockeyeHealth} as a Spring Boot 3 health indicator. */
public final class SockeyeBoot3HealthIndicator implements HealthIndicator {

    private final SockeyeHealth health;

    public SockeyeBoot3HealthIndicator(SockeyeHealth health) {
        this.health = health;
    }

    @Override
    public Health health() {
        SockeyeHealth.Report report = health.check();
        return Health.status(new Status(report.status())).withDetails(report.details()).build();
    }
}
