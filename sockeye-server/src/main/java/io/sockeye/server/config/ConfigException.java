package io.sockeye.server.config;

import java.util.List;

/**
 * The configuration cannot be used. Each problem names the key first ({@code "port: must be ..."}),
 * so {@code Main} can print them as they are and exit with code 2.
 */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("; ", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** One problem: {@code key: reason}. */
    public static ConfigException of(String key, String reason) {
        return new ConfigException(List.of(key + ": " + reason));
    }

    /** Every problem found, each starting with the key it is about. */
    public List<String> problems() {
        return problems;
    }
}
