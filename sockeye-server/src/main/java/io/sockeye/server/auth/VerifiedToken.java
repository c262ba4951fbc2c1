package io.sockeye.server.auth;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token whose signature and claims checked out.
 *
 * @param subject   the {@code sub} claim: the user id the connection acts as; never blank
 * @param expiresAt the {@code exp} claim, {@code null} when the token has none (it then never expires)
 * @param grants    the {@code rooms} claim, {@link RoomGrants#none()} when absent
 * @param claims    every claim, as JSON values (numeric dates as epoch seconds); unmodifiable
 */
public record VerifiedToken(String subject, Instant expiresAt, RoomGrants grants, Map<String, Object> claims) {

    public VerifiedToken {
        grants = grants == null ? RoomGrants.none() : grants;
        claims = claims == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }

    /** The principal this token stands for. */
    public Principal principal() {
        return Principal.of(this);
    }
}
