package io.sockeye.spring.tests;

import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;

/** What the shared tests name differently on Spring Boot 3. */
final class BootLine {

    static final String NAME = "Spring Boot 3";
    /** The health API's indicator type on this line. */
    static final Class<?> HEALTH_INDICATOR = HealthIndicator.class;

    private BootLine() {
    }

    /** Boot's Jackson ObjectMapper. */
    static AutoConfigurations jackson() {
        return AutoConfigurations.of(JacksonAutoConfiguration.class);
    }

    /** A MeterRegistry, as Actuator configures one. */
    static AutoConfigurations metrics() {
        return AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class);
    }
}
