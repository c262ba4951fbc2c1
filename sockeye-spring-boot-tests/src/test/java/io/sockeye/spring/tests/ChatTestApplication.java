package io.sockeye.spring.tests;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * A Spring Boot application as a user writes one: annotated controllers on three namespaces (one
 * dynamic), a middleware bean, JDBC with transactions, method security and {@code @Async}, and an
 * OAuth2 resource server whose JWTs sockets present when they connect.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableMethodSecurity
@EnableAsync
@EnableTransactionManagement
@Import({Controllers.Chat.class, Controllers.Tenant.class, Controllers.Secured.class, Controllers.Banned.class})
public class ChatTestApplication {

    @Bean
    JwtDecoder jwtDecoder() {
        return NimbusJwtDecoder.withSecretKey(Tokens.KEY).build();
    }

    /** HTTP: open (the tests are about sockets), with the resource server on. */
    @Bean
    SecurityFilterChain http(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(c -> c.disable())
                .oauth2ResourceServer(o -> o.jwt(Customizer.withDefaults()))
                .build();
    }
}
