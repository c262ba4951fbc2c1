package io.sockeye.server.auth;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtSettingsTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void noneIsDisabledAndBlankValuesCountAsUnset() {
        assertThat(JwtSettings.none().enabled()).isFalse();
        JwtSettings blank = new JwtSettings("  ", null, null, "", " ", null);
        assertThat(blank.enabled()).isFalse();
        assertThat(blank.issuer()).isNull();
        assertThat(blank.audience()).isNull();
    }

    @Test
    void clockSkewDefaultsToThirtySecondsAndMustNotBeNegative() {
        assertThat(JwtSettings.hmac(SECRET).clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(JwtSettings.hmac(SECRET).withClockSkew(Duration.ofSeconds(5)).clockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> JwtSettings.hmac(SECRET).withClockSkew(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsOnlyOneKeySource() {
        assertThatThrownBy(() -> new JwtSettings(SECRET, null, URI.create("https://idp.example/jwks"), null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only one");
        assertThatThrownBy(() -> new JwtSettings(null, Path.of("k.pem"), URI.create("https://idp.example/jwks"), null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesSecretsShorterThan256Bits() {
        assertThatThrownBy(() -> JwtSettings.hmac("secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
        assertThat(JwtSettings.hmac(SECRET).enabled()).isTrue();
    }

    @Test
    void refusesJwksUrlsThatAreNotHttp() {
        assertThatThrownBy(() -> JwtSettings.jwks(URI.create("file:///etc/jwks.json"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwtSettings.jwks(URI.create("jwks.json"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(JwtSettings.jwks(URI.create("https://idp.example/.well-known/jwks.json")).enabled()).isTrue();
    }

    @Test
    void keepsTheSecretOutOfToString() {
        assertThat(JwtSettings.hmac(SECRET).withIssuer("me").toString()).doesNotContain(SECRET).contains("***").contains("me");
    }
}
