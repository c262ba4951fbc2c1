package io.sockeye.spring.security;

import io.sockeye.core.ConnectError;
import io.sockeye.core.Middleware;
import io.sockeye.core.Next;
import io.sockeye.core.Socket;
import io.sockeye.spring.handler.SocketPrincipals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Principal;

/**
 * The first middleware of every namespace the starter serves when a {@link HandshakeAuthenticator} is
 * configured: records the socket's principal, or refuses it with {@code connect_error} "unauthorized"
 * (bad credentials, or none when anonymous sockets are not allowed).
 */
public final class AuthenticationMiddleware implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(AuthenticationMiddleware.class);

    private final HandshakeAuthenticator authenticator;
    private final SocketPrincipals principals;
    private final boolean allowAnonymous;

    public AuthenticationMiddleware(HandshakeAuthenticator authenticator, SocketPrincipals principals, boolean allowAnonymous) {
        this.authenticator = authenticator;
        this.principals = principals;
        this.allowAnonymous = allowAnonymous;
    }

    @Override
    public void handle(Socket socket, Next next) {
        Principal principal;
        try {
            principal = authenticator.authenticate(socket);
        } catch (Exception e) {
            log.debug("socket {} on {} refused: {}", socket.id(), socket.namespace().name(), e.toString());
            next.reject(new ConnectError("unauthorized"));
            return;
        }
        if (principal == null && !allowAnonymous) {
            next.reject(new ConnectError("unauthorized"));
            return;
        }
        if (principal != null) {
            principals.put(socket, principal);
        }
        next.proceed();
    }
}
