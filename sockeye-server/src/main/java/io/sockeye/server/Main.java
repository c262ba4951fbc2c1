package io.sockeye.server;

import io.sockeye.server.config.CommandLineOptions;
import io.sockeye.server.config.ConfigException;
import io.sockeye.server.config.ConfigLoader;
import io.sockeye.server.config.ServerConfig;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.Map;

/**
 * {@code sockeye}: parses the configuration, starts the server, and on SIGTERM (or Ctrl-C) drains
 * it and exits 0. Exit codes: 0 clean stop or {@code --help}; 1 failure while running; 2 invalid
 * configuration, with one line per problem on stderr naming the key and the reason.
 */
public final class Main {

    /** Exit code for an unusable configuration. */
    public static final int INVALID_CONFIGURATION = 2;

    /**
     * Set by {@code bin/sockeye}'s training run: start (with the warm-up), stop, exit 0, so that the JVM
     * writes its class archive (AOT cache or AppCDS) at exit.
     */
    static final String TRAINING_PROPERTY = "sockeye.training";

    /** Logback configuration used when the user did not pass {@code -Dlogback.configurationFile}. */
    static final String LOGBACK_CONFIGURATION = "io/sockeye/server/logback.xml";
    /** The same for {@code log.format: json} (Logstash's encoder; docs/operations.md lists its fields). */
    static final String LOGBACK_JSON_CONFIGURATION = "logback-json.xml";
    /** Whether the configuration file property is ours (set by {@link #configureLogging}), not the user's. */
    private static boolean chosenByUs;

    /** The outcome of reading the command line and environment. */
    public record Configured(int exitCode, ServerConfig config) {
        /** Whether the server should start ({@code config} is set) rather than exit with {@link #exitCode}. */
        public boolean start() {
            return config != null;
        }
    }

    private Main() {
    }

    public static void main(String[] args) {
        // Until the configuration is read, anything that logs (the Redis client parsing --redis-url) goes
        // through the server's text configuration at info, not Logback's default of everything at debug.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIGURATION);
            chosenByUs = true;
        }
        Configured configured = configure(args, System.getenv(), System.out, System.err);
        if (!configured.start()) {
            System.exit(configured.exitCode());
        }
        System.exit(run(configured.config(), System.err));
    }

    /**
     * Reads flags, environment and YAML. Prints {@code --help}/{@code --version} to {@code out} and
     * problems to {@code err}. Starts nothing, so tests call it directly.
     *
     * @return the configuration to start with, or the exit code (0 after help, 2 for invalid input)
     */
    public static Configured configure(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLineOptions.Parsed parsed;
        try {
            parsed = CommandLineOptions.parse(args);
        } catch (CommandLine.ParameterException e) {
            err.println("sockeye: " + e.getMessage());
            err.println("Run 'sockeye --help' to list the options.");
            return new Configured(INVALID_CONFIGURATION, null);
        }
        if (parsed.help()) {
            out.print(CommandLineOptions.usage());
            out.flush();
            return new Configured(0, null);
        }
        if (parsed.version()) {
            out.println("Sockeye " + CommandLineOptions.version());
            return new Configured(0, null);
        }
        try {
            ServerConfig config = ConfigLoader.load(parsed.values(), env, w -> err.println("sockeye: warning: " + w));
            return new Configured(0, config);
        } catch (ConfigException e) {
            printProblems(e, err);
            return new Configured(INVALID_CONFIGURATION, null);
        }
    }

    private static void printProblems(ConfigException e, PrintStream err) {
        for (String problem : e.problems()) {
            err.println("sockeye: invalid configuration: " + problem);
        }
        err.flush();
    }

    /**
     * Runs the server until a stop signal, then drains it.
     *
     * @return the process exit code
     */
    static int run(ServerConfig config, PrintStream err) {
        configureLogging(config);
        Logger log = LoggerFactory.getLogger(Main.class);
        SockeyeApplication app;
        try {
            app = SockeyeApplication.start(config);
        } catch (ConfigException e) {
            printProblems(e, err);
            return INVALID_CONFIGURATION;
        } catch (RuntimeException e) {
            log.error("failed to start", e);
            return 1;
        }
        if (Boolean.getBoolean(TRAINING_PROPERTY)) {
            app.close(); // started and warmed up: the launcher's training run is over, the JVM writes its archive at exit
            return 0;
        }
        StopSignals.install(() -> app.drain(config.drainWindow()), app::close);
        try {
            app.stopped().join();
            return 0;
        } catch (RuntimeException e) {
            log.error("failed while stopping", e);
            return 1;
        }
    }

    /**
     * Chooses the level and format before the first logger exists (Logback reads its configuration
     * on first use, substituting these properties).
     */
    static void configureLogging(ServerConfig config) {
        if (System.getProperty("logback.configurationFile") == null || chosenByUs) {
            System.setProperty("logback.configurationFile",
                    "json".equals(config.logFormat()) ? LOGBACK_JSON_CONFIGURATION : LOGBACK_CONFIGURATION);
            chosenByUs = true;
        }
        System.setProperty("sockeye.log.level", config.logLevel().toUpperCase(java.util.Locale.ROOT));
        System.setProperty("sockeye.log.format", config.logFormat());
        // Reading the configuration may already have made a logger (the Redis client logs while it parses a
        // URL), and Logback configures itself once, at the first: configure it again with these properties.
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                System.err.println("sockeye: logging configuration failed: " + e.getMessage());
            }
        }
    }
}
