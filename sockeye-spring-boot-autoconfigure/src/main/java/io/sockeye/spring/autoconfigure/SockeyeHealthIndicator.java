package io.sockeye.spring.autoconfigure;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/** {@link SockeyeHealth} as a Spring Boot 4 health indicator. */
public final class SockeyeHealthIndicator implements HealthIndicator {

    private final SockeyeHealth health;

    public SockeyeHealthIndicator(SockeyeHealth health) {
        this.health = health;
    }

    @Override
    public Health health() {
        SockeyeHealth.Report report = health.check();
        return Health.status(new Status(report.status())).withDetails(report.details()).build();
    }
}
