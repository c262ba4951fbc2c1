package io.sockeye.server.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One configuration key and the three ways to set it: a YAML key ({@code jwt.secret} is
 * {@code secret:} inside {@code jwt:}), an environment variable ({@code SOCKEYE_} + the key in upper
 * case with dots as underscores: {@code SOCKEYE_JWT_SECRET}) and a command-line flag.
 *
 * @param key            dotted YAML path, snake_case
 * @param flag           the command-line flag, e.g. {@code --jwt-secret}
 * @param label          the value's name in {@code --help}, e.g. {@code SECRET}
 * @param kind           how the value is written (decides parsing, list splitting and masking)
 * @param defaultValue   the default as it would be written by a user, or {@code null} for "unset"
 * @param defaultDisplay what {@code --help} and the docs print as the default
 * @param description    one sentence for {@code --help}
 */
public record Setting(String key, String flag, String label, Kind kind, String defaultValue,
                      String defaultDisplay, String description) {

    /** How a value is written. */
    public enum Kind {
        TEXT, SECRET, INT, NUMBER, BOOL, DURATION, FILE, URL, LIST, CHOICE, RULES;
    }

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(kind, "kind");
        if (defaultDisplay == null) {
            defaultDisplay = defaultValue == null ? "none" : defaultValue;
        }
    }

    /** The environment variable: {@code SOCKEYE_} + key upper-cased, dots as underscores. */
    public String env() {
        return "SOCKEYE_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Whether the value must never be printed (logs, errors, {@code toString}). */
    public boolean secret() {
        return kind == Kind.SECRET;
    }

    /** The YAML group ({@code jwt} for {@code jwt.secret}), or {@code null} for a top-level key. */
    public String group() {
        int dot = key.indexOf('.');
        return dot < 0 ? null : key.substring(0, dot);
    }

    /** The key inside its group ({@code secret} for {@code jwt.secret}). */
    public String leaf() {
        return key.substring(key.indexOf('.') + 1);
    }
}
