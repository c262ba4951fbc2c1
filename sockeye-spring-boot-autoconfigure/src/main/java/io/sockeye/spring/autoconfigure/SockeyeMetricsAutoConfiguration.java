package io.sockeye.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.adapter.ClusterBusStatus;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.micrometer.MicrometerMetrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Sockeye's metrics on the application's {@link MeterRegistry} (Actuator's), as {@link MicrometerMetrics}:
 * every metric of the operations guide, in Micrometer's naming. The bean is a {@link SockeyeMetrics}, so a
 * {@code SockeyeMetrics} bean of the application's own replaces it.
 */
@AutoConfiguration(before = SockeyeAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerMetrics.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "sockeye", name = "enabled", matchIfMissing = true)
public class SockeyeMetricsAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(SockeyeMetrics.class)
    public MicrometerMetrics sockeyeMetrics(MeterRegistry registry, ObjectProvider<AdapterFactory> adapter) {
        MicrometerMetrics metrics = MicrometerMetrics.builder(registry).build();
        adapter.ifUnique(a -> {
            if (a instanceof ClusterBusStatus bus) {
                metrics.watchClusterBus(bus);
            }
        });
        return metrics;
    }

    /** {@code sockeye.cluster.nodes}, once the server exists, when it has a cluster adapter. */
    @Bean
    public static SmartInitializingSingleton sockeyeClusterNodesMeter(ObjectProvider<MicrometerMetrics> metrics,
                                                                      ObjectProvider<SocketIoServer> io,
                                                                      ObjectProvider<AdapterFactory> adapter) {
        return () -> {
            MicrometerMetrics m = metrics.getIfUnique();
            SocketIoServer server = io.getIfUnique();
            if (m != null && server != null && adapter.getIfUnique() != null) {
                m.watchClusterNodes(() -> server.sockets().serverCount());
            }
        };
    }
}
