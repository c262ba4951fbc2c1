package io.sockeye.server.admin;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminCredentialsTest {

    @Test
    void plainPasswordMatchesOnlyItselfAndTheUserName() {
        AdminCredentials c = AdminCredentials.of("admin", "s3cret");
        assertThat(c.bcrypt()).isFalse();
        assertThat(c.matches("admin", "s3cret")).isTrue();
        assertThat(c.matches("admin", "s3cret ")).isFalse();
        assertThat(c.matches("root", "s3cret")).isFalse();
        assertThat(c.matches(null, "s3cret")).isFalse();
        assertThat(c.matchesPassword("s3cret")).isTrue();
        assertThat(c.matchesPassword(null)).isFalse();
    }

    @Test
    void bcryptHashIsRecognisedAndChecked() {
        String hash = OpenBSDBCrypt.generate("2a", "pw".toCharArray(), new byte[16], 4);
        AdminCredentials c = AdminCredentials.of("admin", hash);
        assertThat(c.bcrypt()).isTrue();
        assertThat(c.matches("admin", "pw")).isTrue();
        assertThat(c.matches("admin", "pW")).isFalse();
        assertThat(c.matches("admin", hash)).isFalse();
    }

    @Test
    void neverPrintsTheSecretAndRefusesAnEmptyOne() {
        assertThat(AdminCredentials.of("admin", "s3cret").toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> AdminCredentials.of("admin", "")).isInstanceOf(IllegalArgumentException.class);
    }
}
