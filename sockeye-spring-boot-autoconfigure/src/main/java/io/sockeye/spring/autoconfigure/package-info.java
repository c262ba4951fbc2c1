/**
 * Spring Boot auto-configuration of Sockeye (listed in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}, never
 * component-scanned): the server from {@code sockeye.*} ({@link io.sockeye.spring.autoconfigure.SockeyeProperties}),
 * its lifecycle, metrics, Spring Security and the Actuator health indicator. Works on Spring Boot 3.5 and 4.0.
 */
package io.sockeye.spring.autoconfigure;
