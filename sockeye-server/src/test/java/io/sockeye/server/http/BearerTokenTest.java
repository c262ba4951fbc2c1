package io.sockeye.server.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BearerTokenTest {

    private final BearerToken key = new BearerToken("s3cret-key");

    @Test
    void acceptsTheBearerKeyWhateverTheSchemeCase() {
        assertThat(key.matches("Bearer s3cret-key")).isTrue();
        assertThat(key.matches("bearer s3cret-key")).isTrue();
        assertThat(key.matches("BEARER  s3cret-key ")).isTrue();
    }

    @Test
    void refusesAnythingElse() {
        assertThat(key.matches(null)).isFalse();
        assertThat(key.matches("")).isFalse();
        assertThat(key.matches("Bearer ")).isFalse();
        assertThat(key.matches("Bearer s3cret-kez")).isFalse();
        assertThat(key.matches("Bearer s3cret-key-and-more")).isFalse();
        assertThat(key.matches("Basic s3cret-key")).isFalse();
        assertThat(key.matches("s3cret-key")).isFalse();
    }
}
