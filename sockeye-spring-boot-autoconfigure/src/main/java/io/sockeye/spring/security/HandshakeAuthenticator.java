package io.sockeye.spring.security;

import io.sockeye.core.Socket;

import java.security.Principal;

/**
 * Decides who a connecting socket is, from what it presented: the CONNECT payload
 * ({@code socket.handshake().auth()}, e.g. {@code {token: "..."}}) and the headers of the request that
 * opened its connection. Runs as the first middleware of every namespace the starter serves; blocking is
 * allowed when handlers run on an executor (the default).
 *
 * <p>With Spring Security's OAuth2 resource server and a {@code JwtDecoder} bean, the starter provides
 * {@link BearerTokenAuthenticator}, which authenticates {@code auth.token} (or an
 * {@code Authorization: Bearer} header) like a bearer token on an HTTP request.
 */
@FunctionalInterface
public interface HandshakeAuthenticator {

    /**
     * @return the socket's principal (Spring Security's {@code Authentication}, typically), or
     *         {@code null} when it presented no credentials (anonymous)
     * @throws Exception to refuse the socket: it receives {@code connect_error} "unauthorized"
     */
    Principal authenticate(Socket socket) throws Exception;
}
