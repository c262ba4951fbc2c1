package io.sockeye.spring.autoconfigure;

import io.sockeye.adapter.nats.NatsAdapterFactory;
import io.sockeye.adapter.nats.NatsAdapterOptions;
import io.sockeye.adapter.redis.RedisAdapterFactory;
import io.sockeye.core.adapter.AdapterFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A cluster adapter from {@code sockeye.cluster.redis.url} or {@code sockeye.cluster.nats.url}, when the
 * adapter's module is on the class path and the application has no {@link AdapterFactory} of its own.
 */
final class ClusterAdapterConfigurations {

    private ClusterAdapterConfigurations() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.sockeye.adapter.redis.RedisAdapterFactory")
    @ConditionalOnProperty(prefix = "sockeye.cluster.redis", name = "url")
    static class Redis {
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(AdapterFactory.class)
        RedisAdapterFactory sockeyeRedisAdapter(SockeyeProperties properties) {
            return RedisAdapterFactory.classic(properties.getCluster().getRedis().getUrl());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.sockeye.adapter.nats.NatsAdapterFactory")
    @ConditionalOnProperty(prefix = "sockeye.cluster.nats", name = "url")
    static class Nats {
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(AdapterFactory.class)
        NatsAdapterFactory sockeyeNatsAdapter(SockeyeProperties properties) throws Exception {
            return NatsAdapterFactory.connect(properties.getCluster().getNats().getUrl(), NatsAdapterOptions.defaults());
        }
    }
}
