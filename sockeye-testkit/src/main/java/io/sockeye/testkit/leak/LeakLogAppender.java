package io.sockeye.testkit.leak;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/**
 * Fallback leak capture: records the {@code "LEAK: ..."} lines Netty's own detectors log at ERROR.
 *
 * <p>Only needed for detectors that were created before {@link RecordingLeakDetectorFactory} was
 * installed (those are not {@link RecordingLeakDetector}s). {@link LeakCheckExtension} attaches it
 * to Netty's detector logger by code, so no {@code logback-test.xml} has to mention it; a module
 * that prefers XML may write
 * <pre>{@code
 * <appender name="LEAKS" class="io.sockeye.testkit.leak.LeakLogAppender"/>
 * <logger name="io.netty.util.ResourceLeakDetector" level="ERROR"><appender-ref ref="LEAKS"/></logger>
 * }</pre>
 */
public final class LeakLogAppender extends AppenderBase<ILoggingEvent> {

    /** Netty's detector logs through a logger named after its class. */
    static final String DETECTOR_LOGGER = "io.netty.util.ResourceLeakDetector";
    private static final String PREFIX = "LEAK: ";
    private static final String TYPE_END = ".release()";
    private static final String RECORDS_START = "for more information.";

    /**
     * Attaches an instance to Netty's detector logger unless one is there already, and makes sure
     * that logger has ERROR enabled (a detector whose logger is off drops leaks unreported).
     * Does nothing when SLF4J is not bound to Logback.
     */
    public static void attach() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        Logger logger = context.getLogger(DETECTOR_LOGGER);
        synchronized (LeakLogAppender.class) {
            for (Iterator<?> it = logger.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof LeakLogAppender) {
                    return;
                }
            }
            LeakLogAppender appender = new LeakLogAppender();
            appender.setContext(context);
            appender.setName("sockeye-leak-check");
            appender.start();
            logger.addAppender(appender);
        }
        if (!logger.isErrorEnabled()) {
            logger.setLevel(Level.ERROR);
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        // A RecordingLeakDetector has recorded this leak already; it is only being logged.
        if (RecordingLeakDetector.REPORTING.get() || !event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            return;
        }
        String message = event.getFormattedMessage();
        if (message == null || !message.startsWith(PREFIX)) {
            return;
        }
        int typeEnd = message.indexOf(TYPE_END);
        String type = typeEnd > PREFIX.length() ? message.substring(PREFIX.length(), typeEnd) : "unknown";
        int recordsStart = message.indexOf(RECORDS_START);
        String records = recordsStart < 0 ? message : message.substring(recordsStart + RECORDS_START.length());
        LeakRecorder.record(type, records);
    }
}
