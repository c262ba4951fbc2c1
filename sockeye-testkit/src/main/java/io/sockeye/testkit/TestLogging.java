package io.sockeye.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Keeps test output quiet without every module shipping a {@code logback-test.xml}.
 *
 * <p>When Logback found no configuration file it falls back to printing everything at DEBUG
 * (Netty alone then writes pages per test). In that case only, the root level is lowered to WARN,
 * or to the level named by {@code -Dsockeye.test.logLevel=DEBUG}. A module that wants its own
 * logging puts a {@code logback-test.xml} in {@code src/test/resources}; that file then wins
 * untouched.
 */
public final class TestLogging {

    /** System property naming the root level used when no Logback configuration file exists. */
    public static final String LEVEL_PROPERTY = "sockeye.test.logLevel";

    private TestLogging() {
    }

    /** Applies the quiet default if Logback is the SLF4J binding and was not configured by a file. */
    public static void quietUnlessConfigured() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context && ConfigurationWatchListUtil.getMainWatchURL(context) == null) {
            Level level = Level.toLevel(System.getProperty(LEVEL_PROPERTY), Level.WARN);
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level);
        }
    }
}
