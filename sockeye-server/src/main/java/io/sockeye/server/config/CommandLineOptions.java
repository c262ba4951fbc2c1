package io.sockeye.server.config;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The command line, built from {@link Settings} with picocli's programmatic model so that every key
 * has exactly one flag and {@code --help} lists them all with their defaults and environment
 * variables. Values are kept as text here; {@link ConfigLoader} parses them together with the other
 * sources so that errors read the same wherever a value came from.
 */
public final class CommandLineOptions {

    /** What the command line asked for. */
    public record Parsed(boolean help, boolean version, Map<Setting, RawValue> values) {
    }

    private CommandLineOptions() {
    }

    /** A fresh picocli model of the {@code sockeye} command. */
    public static CommandLine commandLine() {
        CommandSpec spec = CommandSpec.create()
                .name("sockeye")
                .version("Sockeye " + version());
        spec.mixinStandardHelpOptions(true);
        spec.usageMessage()
                .description(
                        "Sockeye: a Socket.IO v4 server with rooms, presence, JWT auth and an HTTP API.",
                        "With no option it listens on port 3000 and serves a chat demo at http://localhost:3000/.",
                        "Precedence: defaults < YAML file (--config) < environment (SOCKEYE_*) < flags.",
                        "Durations: 500ms, 10s, 5m, 1h. Every option is described in docs/configuration.md.")
                .width(100)
                .sortOptions(false)
                .abbreviateSynopsis(true)
                .optionListHeading("%nOptions:%n")
                .footerHeading("%nExit codes:%n")
                .footer("  0  stopped cleanly (SIGTERM drains clients first)",
                        "  1  failed while running",
                        "  2  invalid configuration (the message names the key and the reason)");
        for (Setting s : Settings.ALL) {
            OptionSpec.Builder o = OptionSpec.builder(s.flag())
                    .paramLabel(s.label())
                    .description(describe(s));
            switch (s.kind()) {
                case BOOL -> o.type(String.class).arity("0..1").fallbackValue("true");
                case LIST -> o.type(String[].class).splitRegex(",").arity("1");
                default -> o.type(String.class).arity("1");
            }
            spec.addOption(o.build());
        }
        return new CommandLine(spec)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(false);
    }

    private static String[] describe(Setting s) {
        String where = s == Settings.CONFIG ? "env SOCKEYE_CONFIG" : "env " + s.env() + ", yaml " + s.key();
        return new String[] {s.description(), "  default: " + s.defaultDisplay() + "; " + where};
    }

    /**
     * Parses {@code args}.
     *
     * @throws CommandLine.ParameterException for unknown options, missing values, repeated flags
     */
    public static Parsed parse(String[] args) {
        CommandLine cl = commandLine();
        ParseResult result = cl.parseArgs(args);
        if (result.isUsageHelpRequested() || result.isVersionHelpRequested()) {
            return new Parsed(result.isUsageHelpRequested(), result.isVersionHelpRequested(), Map.of());
        }
        Map<Setting, RawValue> values = new LinkedHashMap<>();
        for (Setting s : Settings.ALL) {
            OptionSpec option = result.matchedOption(s.flag());
            if (option == null) {
                continue;
            }
            Object v = option.getValue();
            Object raw = v instanceof String[] array ? List.copyOf(Arrays.asList(array)) : v;
            if (raw != null) {
                values.put(s, new RawValue(s, raw, s.flag()));
            }
        }
        return new Parsed(false, false, values);
    }

    /** The {@code --help} text. */
    public static String usage() {
        return commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /** The project version, from a file Maven fills in at build time. */
    public static String version() {
        try (InputStream in = CommandLineOptions.class.getResourceAsStream("/io/sockeye/server/version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (IOException ignored) {
            // fall through: the version is only informative
        }
        return "dev";
    }
}
