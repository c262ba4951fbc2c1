package io.sockeye.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a soak server's log says went wrong. The server is asked for one JSON object per line
 * ({@code --log-format json}); anything else is counted as a plain line and read for its level too:
 * Logback's own default pattern ({@code 12:04:02.878 [thread] DEBUG logger -- message}, what a library
 * logs before the server configured Logback), stack-trace lines (their record's level), and other lines
 * from the JVM (an out-of-memory exit, a crash), which count as errors when they name an exception or
 * an error. Counted: ERROR records, Netty leak reports ({@code LEAK:}, logged at ERROR by Netty's leak
 * detector), WARN records; the first few of each are kept for the report.
 */
final class ServerLogScan {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOGBACK_DEFAULT = Pattern.compile("^\\S+ \\[[^\\]]*] (TRACE|DEBUG|INFO|WARN|ERROR) ");
    private static final int KEEP = 5;
    private static final int KEEP_CHARS = 300;

    private ServerLogScan() {
    }

    /**
     * @param records    log records (JSON lines and plain records; continuation lines not counted)
     * @param plainLines lines that are not a JSON object: outside the configured format
     * @param errors     ERROR records (leak reports included) and plain lines naming an exception or error
     * @param leaks      Netty leak reports
     * @param warnings   WARN records
     */
    record Scan(long records, long plainLines, long errors, long leaks, long warnings, List<String> firstErrors,
                List<String> firstWarnings) {
    }

    static Scan scan(Path log) throws IOException {
        if (!Files.exists(log)) {
            return scan(Stream.empty());
        }
        try (Stream<String> lines = Files.lines(log)) {
            return scan(lines);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    static Scan scan(Stream<String> lines) {
        Counter c = new Counter();
        lines.forEach(c::line);
        return new Scan(c.records, c.plain, c.errors, c.leaks, c.warnings, c.firstErrors, c.firstWarnings);
    }

    private static final class Counter {
        long records;
        long plain;
        long errors;
        long leaks;
        long warnings;
        final List<String> firstErrors = new ArrayList<>();
        final List<String> firstWarnings = new ArrayList<>();
        /** The level of the last plain record, which its stack-trace lines share. */
        String plainLevel = "";

        void line(String line) {
            if (line.isBlank()) {
                return;
            }
            String level;
            String text = line;
            JsonNode json = parse(line);
            if (json != null) {
                records++;
                plainLevel = "";
                level = json.path("level").asText("");
                JsonNode stackTrace = json.path("stack_trace");
                text = level + " " + json.path("logger_name").asText("") + ": " + json.path("message").asText("")
                        + (stackTrace.isTextual() ? " " + stackTrace.asText() : "");
            } else {
                plain++;
                Matcher m = LOGBACK_DEFAULT.matcher(line);
                if (m.find()) {
                    records++;
                    plainLevel = m.group(1);
                    level = plainLevel;
                } else if (line.startsWith("\t") || line.startsWith(" ") || line.startsWith("Caused by:")
                        || line.startsWith("Suppressed:") || isExceptionHeader(line)) {
                    if (!plainLevel.isEmpty()) {
                        return; // a stack trace of the record above, counted with it
                    }
                    level = "ERROR"; // a stack trace with no record above: printed by the JVM itself
                    records++;
                } else {
                    records++;
                    level = line.contains("Exception") || line.contains("Error") ? "ERROR" : "";
                    plainLevel = level.isEmpty() ? "PLAIN" : level; // a stack trace below belongs to this line
                }
            }
            boolean leak = line.contains("LEAK:");
            if (leak) {
                leaks++;
            }
            if (leak || level.equals("ERROR")) {
                errors++;
                keep(firstErrors, text);
            } else if (level.equals("WARN")) {
                warnings++;
                keep(firstWarnings, text);
            }
        }
    }

    /** {@code java.util.concurrent.CompletionException: ...}: the first line of a printed throwable. */
    private static boolean isExceptionHeader(String line) {
        int colon = line.indexOf(':');
        String head = colon < 0 ? line : line.substring(0, colon);
        return head.matches("[a-z][\\w$]*(\\.[\\w$]+)+") && (head.endsWith("Exception") || head.endsWith("Error"));
    }

    private static JsonNode parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void keep(List<String> list, String text) {
        if (list.size() < KEEP) {
            list.add(text.length() > KEEP_CHARS ? text.substring(0, KEEP_CHARS) + "…" : text);
        }
    }
}
