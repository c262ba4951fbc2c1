package io.sockeye.spring.tests;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;

/** What the shared tests name differently on Spring Boot 4. */
final class BootLine {

    static final String NAME = "Spring Boot 4";
    /** The health API's indicator type on this line. */
    static final Class<?> HEALTH_INDICATOR = HealthIndicator.class;

    private BootLine() {
    }

    /** Boot's Jackson 2 ObjectMapper (Boot 4's default JSON is Jackson 3; spring-boot-jackson2 keeps Jackson 2). */
    static AutoConfigurations jackson() {
        return AutoConfigurations.of(Jackson2AutoConfiguration.class);
    }

    /** A MeterRegistry, as Actuator configures one. */
    static AutoConfigurations metrics() {
        return AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class);
    }
}
