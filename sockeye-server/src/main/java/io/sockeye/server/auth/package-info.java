/**
 * Authentication and authorization of the standalone server.
 *
 * <p>{@link io.sockeye.server.auth.TokenVerifier} checks the JWT a client sends in its handshake
 * ({@code auth: {token}}) and yields a {@link io.sockeye.server.auth.VerifiedToken};
 * {@link io.sockeye.server.auth.Permissions} decides, deny by default, who may subscribe, publish and
 * see presence in a room, from the token's {@code rooms} claim and the configured
 * {@link io.sockeye.server.auth.RoomRule}s. Nothing here blocks a Netty event loop: JWKS downloads run
 * on a small executor owned by the verifier.
 */
package io.sockeye.server.auth;
