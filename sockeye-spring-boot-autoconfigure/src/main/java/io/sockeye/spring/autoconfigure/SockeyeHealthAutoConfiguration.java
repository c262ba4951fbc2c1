package io.sockeye.spring.autoconfigure;

import io.sockeye.core.SocketIoServer;
import io.sockeye.core.adapter.AdapterFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code sockeye} health component for Actuator: UP while the Socket.IO server runs and its cluster
 * bus (if any) is connected, OUT_OF_SERVICE while it drains, DOWN otherwise. Spring Boot 4 and 3.5 name
 * the health API differently; each line gets the indicator compiled for it.
 */
@AutoConfiguration(after = SockeyeAutoConfiguration.class)
@ConditionalOnBean(SocketIoServerLifecycle.class)
public class SockeyeHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SockeyeHealth sockeyeHealthState(SocketIoServerLifecycle lifecycle, SocketIoServer io, ObjectProvider<AdapterFactory> adapter) {
        return new SockeyeHealth(lifecycle, io, adapter.getIfUnique());
    }

    /** Spring Boot 4: {@code org.springframework.boot.health.contributor}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Boot4 {
        @Bean
        @ConditionalOnMissingBean(name = "sockeyeHealthIndicator")
        SockeyeHealthIndicator sockeyeHealthIndicator(SockeyeHealth health) {
            return new SockeyeHealthIndicator(health);
        }
    }

    /** Spring Boot 3: {@code org.springframework.boot.actuate.health}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
    static class Boot3 {
        @Bean
        @ConditionalOnMissingBean(name = "sockeyeHealthIndicator")
        SockeyeBoot3HealthIndicator sockeyeHealthIndicator(SockeyeHealth health) {
            return new SockeyeBoot3HealthIndicator(health);
        }
    }
}
