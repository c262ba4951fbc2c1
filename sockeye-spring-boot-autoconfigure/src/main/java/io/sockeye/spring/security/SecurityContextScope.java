package io.sockeye.spring.security;

import io.sockeye.spring.handler.InvocationScope;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

import java.security.Principal;

/**
 * Runs each handler with Spring Security's context holding the socket's {@link Authentication}, so that
 * {@code @PreAuthorize}, {@code @Secured} and {@code SecurityContextHolder} see the socket's user; the
 * thread's previous context is restored afterwards.
 */
public final class SecurityContextScope implements InvocationScope {

    @Override
    public Handle enter(Principal principal) {
        SecurityContext previous = SecurityContextHolder.getContext();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        if (principal instanceof Authentication authentication) {
            context.setAuthentication(authentication);
        }
        SecurityContextHolder.setContext(context);
        return () -> SecurityContextHolder.setContext(previous);
    }
}
