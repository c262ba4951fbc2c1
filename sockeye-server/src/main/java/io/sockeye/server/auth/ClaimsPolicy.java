package io.sockeye.server.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The claim checks, done by Nimbus's {@link DefaultJWTClaimsVerifier} ({@code exp}, {@code nbf} with
 * clock skew, {@code iss} and {@code aud} when configured, {@code sub} required) on this server's
 * {@link Clock}. When Nimbus refuses, the reason for the client is worked out from the claims
 * themselves rather than from Nimbus's message text, which is not an API.
 */
final class ClaimsPolicy extends DefaultJWTClaimsVerifier<TokenVerifier.KeyContext> {

    /** A refusal whose {@link #reason} is ready for {@link AuthException}. */
    static final class Rejected extends BadJWTException {
        private static final long serialVersionUID = 1L;
        final String reason;

        Rejected(String reason, Throwable cause) {
            super(reason, cause);
            this.reason = reason;
        }
    }

    private final Clock clock;
    private final String issuer;
    private final String audience;
    private final Duration skew;

    ClaimsPolicy(String issuer, String audience, Duration skew, Clock clock) {
        super(audience == null ? null : Set.of(audience),
                issuer == null ? new JWTClaimsSet.Builder().build() : new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("sub"),
                null);
        this.clock = clock;
        this.issuer = issuer;
        this.audience = audience;
        this.skew = Duration.ofSeconds(skew.toSeconds());
        setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, this.skew.toSeconds()));
    }

    @Override
    protected Date currentTime() {
        return Date.from(clock.instant());
    }

    @Override
    public void verify(JWTClaimsSet claims, TokenVerifier.KeyContext context) throws BadJWTException {
        try {
            super.verify(claims, context);
        } catch (BadJWTException e) {
            throw new Rejected(reasonFor(claims), e);
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) {
            throw new Rejected("missing subject", null);
        }
    }

    /** The first problem with these claims, in the order a client most needs to hear about it. */
    private String reasonFor(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp != null && !exp.toInstant().isAfter(now.minus(skew))) {
            return "token expired";
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
            return "token not yet valid";
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            return "wrong issuer";
        }
        List<String> aud = claims.getAudience();
        if (audience != null && (aud == null || !aud.contains(audience))) {
            return "wrong audience";
        }
        if (claims.getSubject() == null) {
            return "missing subject";
        }
        return "invalid claims";
    }
}
