package io.sockeye.server.admin;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The admin password check shared by the dashboard login and the Admin UI namespace. The configured
 * secret is either a bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}, as {@code @socket.io/admin-ui}
 * expects, checked with Bouncy Castle's {@link OpenBSDBCrypt}, already a dependency) or a plain
 * password, compared in constant time: both sides are hashed with SHA-256 first so that neither the
 * content nor the length of the secret leaks through timing. Immutable, thread-safe.
 */
public final class AdminCredentials {

    private final String username;
    private final String secret;
    private final boolean bcrypt;

    private AdminCredentials(String username, String secret) {
        this.username = Objects.requireNonNull(username, "username");
        this.secret = Objects.requireNonNull(secret, "password");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the admin password must not be empty");
        }
        this.bcrypt = secret.matches("\\$2[aby]\\$\\d{2}\\$.{53}");
    }

    /**
     * @param username the user name the Admin UI sends ({@code admin} by default there)
     * @param secret   a bcrypt hash or a plain password
     */
    public static AdminCredentials of(String username, String secret) {
        return new AdminCredentials(username, secret);
    }

    public String username() {
        return username;
    }

    /** Whether the secret is a bcrypt hash rather than a plain password. */
    public boolean bcrypt() {
        return bcrypt;
    }

    /** Whether {@code username}/{@code password} match; {@code false} for nulls. */
    public boolean matches(String username, String password) {
        if (username == null || password == null) {
            return false;
        }
        boolean userOk = constantTimeEquals(this.username, username);
        boolean passwordOk;
        if (bcrypt) {
            // bcrypt only reads the first 72 bytes; longer passwords are refused by Bouncy Castle.
            passwordOk = password.getBytes(StandardCharsets.UTF_8).length <= 72
                    && OpenBSDBCrypt.checkPassword(secret, password.toCharArray());
        } else {
            passwordOk = constantTimeEquals(secret, password);
        }
        return userOk & passwordOk;
    }

    /** Whether {@code password} matches, whatever the user name (the dashboard's login asks only for it). */
    public boolean matchesPassword(String password) {
        return matches(username, password);
    }

    static boolean constantTimeEquals(String expected, String actual) {
        return MessageDigest.isEqual(sha256(expected), sha256(actual));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "AdminCredentials[" + username + ", " + (bcrypt ? "bcrypt" : "plain") + ", ****]";
    }
}
