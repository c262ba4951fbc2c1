package io.sockeye.spring.security;

import io.sockeye.core.Socket;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import java.security.Principal;
import java.util.Locale;

/**
 * Authenticates a socket's bearer token as Spring Security's resource server authenticates one on an
 * HTTP request: the token is the CONNECT payload's {@code token} ({@code io(url, {auth: {token}})}), or
 * else the {@code Authorization: Bearer} header of the request that opened the connection; it goes to
 * an {@link AuthenticationManager} (for JWTs: a {@code JwtAuthenticationProvider} over the application's
 * {@code JwtDecoder}). No token is anonymous; a bad one refuses the socket.
 */
public final class BearerTokenAuthenticator implements HandshakeAuthenticator {

    private static final String BEARER = "bearer ";

    private final AuthenticationManager authentication;

    public BearerTokenAuthenticator(AuthenticationManager authentication) {
        this.authentication = authentication;
    }

    @Override
    public Principal authenticate(Socket socket) {
        String token = token(socket);
        if (token == null) {
            return null;
        }
        return authentication.authenticate(new BearerTokenAuthenticationToken(token));
    }

    static String token(Socket socket) {
        if (socket.handshake().auth().get("token") instanceof String token && !token.isBlank()) {
            return token.trim();
        }
        String header = socket.handshake().headers().get("authorization");
        if (header != null && header.length() > BEARER.length()
                && header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return header.substring(BEARER.length()).trim();
        }
        return null;
    }
}
