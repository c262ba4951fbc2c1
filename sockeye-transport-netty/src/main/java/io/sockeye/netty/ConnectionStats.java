package io.sockeye.netty;

import java.util.Locale;

/**
 * What the front's connection limits and deadlines did, for metrics ({@link NettyFrontend#connectionStats()}):
 * counters since start and the current values, read when metrics are collected. Thread-safe.
 */
public interface ConnectionStats {

    /** Why a connection was refused. */
    enum Refusal {
        /** At accept: its address already held {@code maxConnectionsPerAddress} connections. */
        PER_ADDRESS,
        /** At accept: {@code maxConnections} and the health-check reserve were all taken. */
        MAX_CONNECTIONS,
        /** A connection from the health-check reserve asked for something else (answered 503). */
        NOT_A_HEALTH_CHECK;

        /** The metric label: the name in lower case. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which deadline closed a connection that was still speaking HTTP. */
    enum Deadline {
        /** No request in progress (a new connection, or between keep-alive requests): closed. */
        IDLE,
        /** A request's head did not arrive in time: 408, then closed. */
        REQUEST_HEAD,
        /** A request's body did not arrive in time: 408, then closed. */
        REQUEST_BODY;

        /** The metric label: the name in lower case. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a connection was cut off with a TCP reset rather than closed in order. */
    enum Reset {
        /** A slow consumer with data still queued for it: the data is dropped, not delivered first. */
        SLOW_CONSUMER,
        /** A close the peer did not take within {@code closeTimeout} (it stopped reading). */
        CLOSE_TIMEOUT;

        /** The metric label: the name in lower case. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** TCP connections accepted on the port and not closed yet. */
    long open();

    /** The cap on open connections ({@code maxConnections}), or {@link Long#MAX_VALUE} when there is none. */
    long maxConnections();

    /** Connections refused for {@code why} since start. */
    long refused(Refusal why);

    /** Connections closed by {@code deadline} since start. */
    long timedOut(Deadline deadline);

    /** Connections reset for {@code why} since start. */
    long reset(Reset why);

    /**
     * WebSocket messages compressed with permessage-deflate since start: a broadcast counts once per event
     * loop it reaches, however many of its recipients there negotiated the extension.
     */
    default long messagesCompressed() {
        return 0;
    }

    /**
     * Whether direct memory is past the point where connections over their write high-water mark are closed
     * as slow consumers (three quarters of the limit), so that the node sheds them before anything fails.
     */
    boolean directMemoryPressure();
}
