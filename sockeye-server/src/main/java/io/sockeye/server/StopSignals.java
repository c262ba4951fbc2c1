package io.sockeye.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT start a graceful stop (the drain) on its own thread; the same signal again
 * makes it finish at once. Handling the signals ourselves, rather than in a JVM shutdown hook, keeps
 * the JVM running through the drain and lets the process exit with 0 (a JVM stopped by a signal
 * exits with 143). A shutdown hook still closes the server on any other way out (SIGHUP,
 * {@code System.exit} from elsewhere).
 */
final class StopSignals {

    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    /**
     * @param gracefulStop the drain; blocks until the server is closed, and when called again while
     *                     running, makes the first call finish at once
     * @param immediateStop closes at once (idempotent)
     */
    static void install(Runnable gracefulStop, Runnable immediateStop) {
        Runtime.getRuntime().addShutdownHook(new Thread(immediateStop, "sockeye-shutdown-hook"));
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    log.info("received SIG{}", signal.getName());
                    // Not on the signal thread: the drain blocks for its whole window.
                    Thread t = new Thread(gracefulStop, "sockeye-drain-" + signal.getName().toLowerCase());
                    t.start();
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // This platform does not let us handle the signal: the shutdown hook closes without draining.
                log.debug("cannot handle SIG{}: {}", name, e.toString());
            }
        }
    }
}
