package io.sockeye.spring.tests;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.sockeye.adapter.nats.NatsAdapterFactory;
import io.sockeye.adapter.redis.RedisAdapterFactory;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.micrometer.MicrometerMetrics;
import io.sockeye.spring.SocketIoErrorHandler;
import io.sockeye.spring.autoconfigure.SockeyeAutoConfiguration;
import io.sockeye.spring.autoconfigure.SockeyeHealthAutoConfiguration;
import io.sockeye.spring.autoconfigure.SockeyeMetricsAutoConfiguration;
import io.sockeye.spring.autoconfigure.SockeyeSecurityAutoConfiguration;
import io.sockeye.spring.autoconfigure.SocketIoServerLifecycle;
import io.sockeye.spring.handler.InvocationScope;
import io.sockeye.spring.handler.SocketIoHandlerRegistrar;
import io.sockeye.spring.security.BearerTokenAuthenticator;
import io.sockeye.spring.security.HandshakeAuthenticator;
import io.sockeye.spring.security.SecurityContextScope;
import io.sockeye.testkit.ChildProcess;
import io.sockeye.testkit.FreePorts;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;

import static org.assertj.core.api.Assertions.assertThat;

/** Every condition of the auto-configuration, each way, with Spring Boot's ApplicationContextRunner. */
class SockeyeAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SockeyeAutoConfiguration.class))
            .withPropertyValues("sockeye.port=0");

    @Test
    void startsTheServerWithItsHandlerRegistrarByDefault() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(SocketIoServer.class).hasSingleBean(SocketIoServerLifecycle.class)
                    .hasSingleBean(SocketIoHandlerRegistrar.class).hasSingleBean(SocketIoErrorHandler.class);
            SocketIoServerLifecycle lifecycle = context.getBean(SocketIoServerLifecycle.class);
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(lifecycle.port()).isPositive();
        });
    }

    @Test
    void backsOffEntirelyWhenDisabled() {
        runner.withPropertyValues("sockeye.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SocketIoServer.class)
                        .doesNotHaveBean(SocketIoServerLifecycle.class));
    }

    @Test
    void bindsPropertiesIntoTheServerOptions() {
        runner.withPropertyValues("sockeye.path=/rt/", "sockeye.ping-interval=7s", "sockeye.max-http-buffer-size=2MB",
                        "sockeye.cors.allowed-origins=https://app.example.com")
                .run(context -> {
                    ServerOptions options = context.getBean(SocketIoServer.class).options();
                    assertThat(options.path()).isEqualTo("/rt/");
                    assertThat(options.pingInterval()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(options.maxHttpBufferSize()).isEqualTo(2L * 1024 * 1024);
                    assertThat(options.cors()).isNotNull();
                });
    }

    @Test
    void keepsTheApplicationsOwnBeans() {
        SocketIoServer own = SocketIoServer.create();
        SocketIoErrorHandler errors = (socket, event, error) -> new Object[] {"nope"};
        runner.withBean(SocketIoServer.class, () -> own).withBean(SocketIoErrorHandler.class, () -> errors)
                .run(context -> {
                    assertThat(context.getBean(SocketIoServer.class)).isSameAs(own);
                    assertThat(context.getBean(SocketIoErrorHandler.class)).isSameAs(errors);
                });
    }

    @Test
    void usesBootsJacksonObjectMapperForPayloads() {
        runner.withConfiguration(BootLine.jackson()).run(context -> {
            ObjectMapper boot = context.getBean(ObjectMapper.class);
            assertThat(context.getBean(SocketIoServer.class).options().objectMapper()).isSameAs(boot);
        });
    }

    @Test
    void runsHandlersOnBootsTaskExecutorWhenThereIsOne() {
        runner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class)).run(context ->
                assertThat(context.getBean(SocketIoServer.class).options().handlerExecutor())
                        .isSameAs(context.getBean("applicationTaskExecutor", Executor.class)));
        runner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
                .withPropertyValues("sockeye.handler-executor=event-loop")
                .run(context -> assertThat(context.getBean(SocketIoServer.class).options().handlerExecutor()).isNull());
    }

    @Test
    void reportsMetricsToTheMeterRegistryWhenThereIsOne() {
        ApplicationContextRunner metrics = runner.withConfiguration(AutoConfigurations.of(SockeyeMetricsAutoConfiguration.class));
        metrics.withConfiguration(BootLine.metrics()).run(context -> {
            assertThat(context).hasSingleBean(MicrometerMetrics.class);
            assertThat(context.getBean(SocketIoServer.class).options().metrics()).isSameAs(context.getBean(MicrometerMetrics.class));
            assertThat(context.getBean(MeterRegistry.class).find("sockeye.engine.connections").gauges()).hasSize(2);
        });
        metrics.run(context -> assertThat(context).doesNotHaveBean(SockeyeMetrics.class));
        metrics.withConfiguration(BootLine.metrics()).withClassLoader(new FilteredClassLoader(MicrometerMetrics.class))
                .run(context -> assertThat(context).doesNotHaveBean(SockeyeMetrics.class));
        SockeyeMetrics own = new SockeyeMetrics() { };
        metrics.withConfiguration(BootLine.metrics()).withBean(SockeyeMetrics.class, () -> own)
                .run(context -> assertThat(context.getBean(SockeyeMetrics.class)).isSameAs(own));
    }

    @Test
    void contributesAHealthIndicatorWhereActuatorHasAHealthApi() {
        ApplicationContextRunner health = runner.withConfiguration(AutoConfigurations.of(SockeyeHealthAutoConfiguration.class));
        health.run(context -> assertThat(context.getBean("sockeyeHealthIndicator")).isInstanceOf(BootLine.HEALTH_INDICATOR));
        health.withClassLoader(new FilteredClassLoader("org.springframework.boot.health.contributor",
                        "org.springframework.boot.actuate.health"))
                .run(context -> assertThat(context).doesNotHaveBean("sockeyeHealthIndicator"));
    }

    @Test
    void runsHandlersInTheSocketsSecurityContextAndAuthenticatesBearerTokensWithAJwtDecoder() {
        ApplicationContextRunner security = runner.withConfiguration(AutoConfigurations.of(SockeyeSecurityAutoConfiguration.class));
        security.run(context -> {
            assertThat(context.getBean(InvocationScope.class)).isInstanceOf(SecurityContextScope.class);
            assertThat(context).doesNotHaveBean(HandshakeAuthenticator.class);
        });
        JwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(
                "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), "HmacSHA256")).build();
        security.withBean(JwtDecoder.class, () -> decoder)
                .run(context -> assertThat(context.getBean(HandshakeAuthenticator.class)).isInstanceOf(BearerTokenAuthenticator.class));
        security.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
                .run(context -> assertThat(context).doesNotHaveBean(InvocationScope.class));
    }

    @Test
    void connectsTheClusterAdapterNamedByItsUrl() {
        runner.run(context -> assertThat(context).doesNotHaveBean(AdapterFactory.class));
        try (Bus redis = Bus.start("redis-server", "Ready to accept connections", "--port", "%d", "--bind", "127.0.0.1", "--save", "")) {
            runner.withPropertyValues("sockeye.cluster.redis.url=redis://127.0.0.1:" + redis.port).run(context -> {
                assertThat(context).hasSingleBean(RedisAdapterFactory.class);
                assertThat(context.getBean(SocketIoServer.class).options().adapterFactory()).isSameAs(context.getBean(AdapterFactory.class));
            });
            runner.withPropertyValues("sockeye.cluster.redis.url=redis://127.0.0.1:" + redis.port)
                    .withClassLoader(new FilteredClassLoader(RedisAdapterFactory.class))
                    .run(context -> assertThat(context).doesNotHaveBean(AdapterFactory.class));
        }
        try (Bus nats = Bus.start("nats-server", "Server is ready", "-a", "127.0.0.1", "-p", "%d")) {
            runner.withPropertyValues("sockeye.cluster.nats.url=nats://127.0.0.1:" + nats.port)
                    .run(context -> assertThat(context).hasSingleBean(NatsAdapterFactory.class));
        }
    }

    /** A real bus binary on a free port. */
    private record Bus(ChildProcess process, int port) implements AutoCloseable {
        static Bus start(String binary, String ready, String... args) {
            int port = FreePorts.next();
            String[] command = new String[args.length + 1];
            command[0] = binary;
            for (int i = 0; i < args.length; i++) {
                command[i + 1] = args[i].replace("%d", String.valueOf(port));
            }
            ChildProcess p = ChildProcess.command(command).name(binary).start();
            p.awaitLine(ready, Duration.ofSeconds(60));
            return new Bus(p, port);
        }

        @Override
        public void close() {
            process.close();
        }
    }
}
