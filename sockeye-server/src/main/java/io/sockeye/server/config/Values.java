package io.sockeye.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of the merged configuration. A value that does not parse is recorded as a problem
 * (key, origin and reason) and a neutral value is returned, so one run reports every mistake at once.
 */
final class Values {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final Map<Setting, RawValue> merged;
    private final List<String> problems = new ArrayList<>();

    Values(Map<Setting, RawValue> merged) {
        this.merged = merged;
    }

    List<String> problems() {
        return problems;
    }

    void problem(Setting setting, String reason) {
        RawValue raw = merged.get(setting);
        problems.add((raw != null ? raw.where() : setting.key()) + ": " + reason);
    }

    boolean isSet(Setting setting) {
        return merged.containsKey(setting);
    }

    /** Where the value came from ({@code --port}, {@code SOCKEYE_PORT}, a file name) or {@code default}. */
    String origin(Setting setting) {
        RawValue raw = merged.get(setting);
        return raw == null ? "default" : raw.origin();
    }

    /** The text as written, else the default text, else {@code null}. */
    String text(Setting setting) {
        RawValue raw = merged.get(setting);
        if (raw != null) {
            String t = raw.text().trim();
            return t.isEmpty() ? setting.defaultValue() : t;
        }
        return setting.defaultValue();
    }

    List<String> list(Setting setting) {
        RawValue raw = merged.get(setting);
        return raw == null ? List.of() : raw.list();
    }

    long integer(Setting setting, long min, long max) {
        String t = text(setting);
        if (t == null) {
            return min;
        }
        try {
            long v = Long.parseLong(t.replace("_", ""));
            if (v < min || v > max) {
                problem(setting, "must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            problem(setting, "must be a whole number, got '" + t + "'");
            return min;
        }
    }

    /** A positive decimal number (rates). */
    double positiveNumber(Setting setting) {
        String t = text(setting);
        if (t == null) {
            return 1;
        }
        try {
            double v = Double.parseDouble(t.replace("_", ""));
            if (!(v > 0) || Double.isInfinite(v)) {
                problem(setting, "must be a positive number, got " + t);
                return 1;
            }
            return v;
        } catch (NumberFormatException e) {
            problem(setting, "must be a number, got '" + t + "'");
            return 1;
        }
    }

    /** {@code true/false}, also {@code yes/no}, {@code on/off}, {@code 1/0}; {@code null} when unset or {@code auto}. */
    Boolean bool(Setting setting) {
        String t = text(setting);
        if (t == null) {
            return null;
        }
        switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            case "auto":
                return null;
            default:
                problem(setting, "must be true or false, got '" + t + "'");
                return null;
        }
    }

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 0}, or ISO-8601 ({@code PT10S}). */
    Duration duration(Setting setting, boolean zeroAllowed) {
        String t = text(setting);
        if (t == null) {
            return Duration.ZERO;
        }
        Duration d = parseDuration(t.toLowerCase(Locale.ROOT));
        if (d == null) {
            problem(setting, "must be a duration like 500ms, 10s, 5m or 1h, got '" + t + "'");
            return Duration.ofSeconds(1);
        }
        if (d.isZero() && !zeroAllowed) {
            problem(setting, "must be longer than 0");
        }
        return d;
    }

    static Duration parseDuration(String t) {
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return null;
            }
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
            return d.isNegative() ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A readable regular file, or {@code null} when unset. */
    Path file(Setting setting) {
        String t = text(setting);
        if (t == null) {
            return null;
        }
        Path p = Path.of(t);
        if (!Files.exists(p)) {
            problem(setting, "file not found: " + p.toAbsolutePath());
        } else if (!Files.isRegularFile(p)) {
            problem(setting, "not a regular file: " + p.toAbsolutePath());
        } else if (!Files.isReadable(p)) {
            problem(setting, "file not readable (permission denied): " + p.toAbsolutePath());
        }
        return p;
    }

    /** An absolute URL with one of {@code schemes} and a host, or {@code null} when unset. */
    URI url(Setting setting, String... schemes) {
        String t = text(setting);
        if (t == null) {
            return null;
        }
        String expected = String.join(", ", List.of(schemes).stream().map(s -> s + "://").toList());
        try {
            URI u = new URI(t);
            if (u.getScheme() == null || !List.of(schemes).contains(u.getScheme().toLowerCase(Locale.ROOT))) {
                problem(setting, "must be a URL starting with " + expected + ", got '" + mask(t) + "'");
            } else if (u.getHost() == null || u.getHost().isEmpty()) {
                problem(setting, "URL has no host: '" + mask(t) + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            problem(setting, "malformed URL (" + e.getReason() + "): '" + mask(t) + "'");
            return null;
        }
    }

    /** One of {@code choices} (case-insensitive), returned lower-case. */
    String choice(Setting setting, String... choices) {
        String t = text(setting);
        if (t == null) {
            return null;
        }
        String v = t.toLowerCase(Locale.ROOT);
        if (!List.of(choices).contains(v)) {
            problem(setting, "must be one of " + String.join(", ", choices) + ", got '" + t + "'");
        }
        return v;
    }

    // URLs may carry credentials (redis://:password@host); never echo those.
    private static String mask(String text) {
        return text.replaceAll("//[^/@]*@", "//****@");
    }
}
