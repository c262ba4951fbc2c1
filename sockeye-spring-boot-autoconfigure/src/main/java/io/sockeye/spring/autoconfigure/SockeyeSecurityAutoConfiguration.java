package io.sockeye.spring.autoconfigure;

import io.sockeye.spring.handler.InvocationScope;
import io.sockeye.spring.security.BearerTokenAuthenticator;
import io.sockeye.spring.security.HandshakeAuthenticator;
import io.sockeye.spring.security.SecurityContextScope;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * Spring Security for sockets: handlers run with the socket's {@code Authentication} in the
 * {@code SecurityContextHolder} (so {@code @PreAuthorize} applies), and with an OAuth2 resource server's
 * {@link JwtDecoder} every socket authenticates its bearer token when it connects
 * ({@link BearerTokenAuthenticator}). Declare a {@link HandshakeAuthenticator} bean to authenticate
 * differently.
 */
@AutoConfiguration(before = SockeyeAutoConfiguration.class, afterName = {
        "org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"})
@ConditionalOnClass(name = "org.springframework.security.core.context.SecurityContextHolder")
public class SockeyeSecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public InvocationScope sockeyeSecurityContextScope() {
        return new SecurityContextScope();
    }

    /** Bearer tokens, verified by the resource server's {@link JwtDecoder}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.security.oauth2.jwt.JwtDecoder",
            "org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider"})
    @ConditionalOnBean(type = "org.springframework.security.oauth2.jwt.JwtDecoder")
    static class BearerTokens {
        @Bean
        @ConditionalOnMissingBean
        HandshakeAuthenticator sockeyeHandshakeAuthenticator(JwtDecoder decoder,
                                                              ObjectProvider<JwtAuthenticationConverter> converter) {
            JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
            converter.ifUnique(provider::setJwtAuthenticationConverter);
            return new BearerTokenAuthenticator(new ProviderManager(provider));
        }
    }
}
