package io.sockeye.spring.autoconfigure;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.sockeye.core.CorsOptions;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.adapter.AdapterFactory;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.spring.SocketIoErrorHandler;
import io.sockeye.spring.handler.DefaultErrorHandler;
import io.sockeye.spring.handler.HandlerMethod;
import io.sockeye.spring.handler.InvocationScope;
import io.sockeye.spring.handler.SocketIoHandlerRegistrar;
import io.sockeye.spring.handler.SocketPrincipals;
import io.sockeye.spring.security.AuthenticationMiddleware;
import io.sockeye.spring.security.HandshakeAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

/**
 * The embedded Socket.IO server: a {@link SocketIoServer} built from {@code sockeye.*} (with the
 * application's Jackson 2 {@code ObjectMapper}, metrics and cluster adapter when there are beans of those
 * types), its Netty front started and stopped by {@link SocketIoServerLifecycle}, and the annotated
 * handlers registered by {@link SocketIoHandlerRegistrar}. Every bean backs off when the application
 * declares its own.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",
        "org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration",
        "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration"})
@ConditionalOnProperty(prefix = "sockeye", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(SockeyeProperties.class)
@Import({ClusterAdapterConfigurations.Redis.class, ClusterAdapterConfigurations.Nats.class})
public class SockeyeAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SockeyeAutoConfiguration.class);
    /** Boot's task executor, the default home of handlers. */
    static final String TASK_EXECUTOR = "applicationTaskExecutor";

    @Bean
    @ConditionalOnMissingBean
    public SocketIoServer socketIoServer(SockeyeProperties properties, ObjectProvider<ObjectMapper> objectMapper,
                                         ObjectProvider<SockeyeMetrics> metrics, ObjectProvider<AdapterFactory> adapter,
                                         ObjectProvider<SocketIoServerCustomizer> customizers, ListableBeanFactory beans) {
        ServerOptions.Builder options = ServerOptions.builder()
                .path(properties.getPath())
                .pingInterval(properties.getPingInterval())
                .pingTimeout(properties.getPingTimeout())
                .upgradeTimeout(properties.getUpgradeTimeout())
                .connectTimeout(properties.getConnectTimeout())
                .maxHttpBufferSize(properties.getMaxHttpBufferSize().toBytes())
                .transports(properties.getTransports().toArray(String[]::new))
                .maxBufferedBytes(properties.getLimits().getMaxBufferedBytes().toBytes());
        int high = (int) properties.getLimits().getWriteBufferHighWaterMark().toBytes();
        options.writeBufferWaterMarks(high / 2, high);
        ObjectMapper mapper = objectMapper.getIfUnique();
        if (mapper != null) {
            options.objectMapper(mapper);
        } else {
            log.info("no unique Jackson 2 ObjectMapper bean: Socket.IO payloads use Sockeye's own mapper "
                    + "(on Spring Boot 4 add org.springframework.boot:spring-boot-jackson2 to use Boot's)");
        }
        CorsOptions cors = cors(properties.getCors());
        if (cors != null) {
            options.cors(cors);
        }
        metrics.ifUnique(options::metrics);
        adapter.ifUnique(options::adapterFactory);
        if (properties.getHandlerExecutor() == SockeyeProperties.HandlerExecutor.TASK_EXECUTOR) {
            if (beans.containsBean(TASK_EXECUTOR)) {
                options.handlerExecutor(beans.getBean(TASK_EXECUTOR, Executor.class));
            } else {
                log.warn("no '{}' bean: Socket.IO handlers run on the event loops and must not block", TASK_EXECUTOR);
            }
        }
        customizers.orderedStream().forEach(c -> c.customize(options));
        return SocketIoServer.create(options.build());
    }

    @Bean
    @ConditionalOnMissingBean
    public SocketIoServerLifecycle socketIoServerLifecycle(SocketIoServer io, SockeyeProperties properties,
                                                           ObjectProvider<NettyFrontendCustomizer> customizers,
                                                           Environment environment) {
        boolean graceful = "graceful".equalsIgnoreCase(environment.getProperty("server.shutdown", "graceful"));
        SslContext ssl = ssl(properties.getSsl());
        return new SocketIoServerLifecycle(io, () -> {
            NettyFrontend.Builder frontend = NettyFrontend.builder().port(properties.getPort())
                    .threads(properties.getThreads()).attach(io);
            if (properties.getHost() != null && !properties.getHost().isBlank()) {
                frontend.host(properties.getHost());
            }
            if (ssl != null) {
                frontend.ssl(ssl);
            }
            customizers.orderedStream().forEach(c -> c.customize(frontend));
            return frontend;
        }, properties.getPort(), properties.getLifecycle().getPhase(), graceful, properties.getLifecycle().getDrainWindow());
    }

    @Bean
    @ConditionalOnMissingBean
    public SocketPrincipals socketPrincipals() {
        return new SocketPrincipals();
    }

    @Bean
    @ConditionalOnMissingBean
    public SocketIoErrorHandler socketIoErrorHandler() {
        return new DefaultErrorHandler();
    }

    @Bean
    @ConditionalOnMissingBean
    public SocketIoHandlerRegistrar socketIoHandlerRegistrar(ListableBeanFactory beans, SocketIoServer io,
                                                             SocketIoServerLifecycle lifecycle, SockeyeProperties properties,
                                                             SocketPrincipals principals, SocketIoErrorHandler errors,
                                                             ObjectProvider<InvocationScope> scope,
                                                             ObjectProvider<HandshakeAuthenticator> authenticator) {
        HandlerMethod.Context context = new HandlerMethod.Context(io.options().objectMapper(),
                ApplicationConversionService.getSharedInstance(), principals, scope.getIfUnique(() -> InvocationScope.NONE), errors);
        HandshakeAuthenticator auth = authenticator.getIfUnique();
        AuthenticationMiddleware middleware = auth == null ? null
                : new AuthenticationMiddleware(auth, principals, properties.getSecurity().isAllowAnonymous());
        return new SocketIoHandlerRegistrar(beans, io, context, middleware, lifecycle.tracker());
    }

    static CorsOptions cors(SockeyeProperties.Cors cors) {
        if (cors.getAllowedOrigins().isEmpty()) {
            return null;
        }
        CorsOptions options = cors.getAllowedOrigins().contains("*") ? CorsOptions.anyOrigin()
                : CorsOptions.origins(cors.getAllowedOrigins().toArray(String[]::new));
        return options.withCredentials(cors.isAllowCredentials());
    }

    static SslContext ssl(SockeyeProperties.Ssl ssl) {
        if (ssl.getCertificate() == null) {
            return null;
        }
        if (ssl.getCertificatePrivateKey() == null) {
            throw new IllegalStateException("sockeye.ssl.certificate-private-key is required with sockeye.ssl.certificate");
        }
        try (InputStream cert = ssl.getCertificate().getInputStream();
             InputStream key = ssl.getCertificatePrivateKey().getInputStream()) {
            return SslContextBuilder.forServer(cert, key).build();
        } catch (IOException e) {
            throw new UncheckedIOException("sockeye.ssl: cannot read the certificate or key", e);
        }
    }
}
