package io.sockeye.server.auth;

/**
 * Who a connection acts as: a user id (a valid token's {@code sub}) and that token's room grants, or
 * nobody ({@link #anonymous()}).
 *
 * @param userId the token's subject, {@code null} for an anonymous connection
 * @param grants rooms the token allows; never {@code null}
 */
public record Principal(String userId, RoomGrants grants) {

    private static final Principal ANONYMOUS = new Principal(null, RoomGrants.none());

    public Principal {
        grants = grants == null ? RoomGrants.none() : grants;
    }

    /** A connection without a token. */
    public static Principal anonymous() {
        return ANONYMOUS;
    }

    /** The principal a verified token stands for. */
    public static Principal of(VerifiedToken token) {
        return new Principal(token.subject(), token.grants());
    }

    /** True for a connection without a token. */
    public boolean isAnonymous() {
        return userId == null;
    }
}
