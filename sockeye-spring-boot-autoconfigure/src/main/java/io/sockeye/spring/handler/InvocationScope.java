package io.sockeye.spring.handler;

import java.security.Principal;

/**
 * Sets up what a handler invocation needs around it, such as Spring Security's context holding the
 * socket's principal (so that {@code @PreAuthorize} sees it). Entered and closed on the thread that
 * invokes the handler.
 */
@FunctionalInterface
public interface InvocationScope {

    InvocationScope NONE = principal -> () -> { };

    /** Enters the scope for one invocation; the returned handle leaves it. */
    Handle enter(Principal principal);

    /** Leaves a scope; never throws. */
    @FunctionalInterface
    interface Handle extends AutoCloseable {
        @Override
        void close();
    }
}
