package io.sockeye.adapter.nats;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jnats problems, to SLF4J instead of jnats' default java.util.logging at SEVERE. Connection losses are
 * reported once per outage by {@link NatsAdapterFactory}, so the exceptions of every failed reconnect
 * attempt go to debug; errors the server sends and slow-consumer drops are warnings.
 */
final class NatsErrorLog implements ErrorListener {

    private static final Logger log = LoggerFactory.getLogger(NatsErrorLog.class);

    @Override
    public void errorOccurred(Connection conn, String error) {
        log.warn("NATS server error: {}", error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        log.debug("NATS connection problem: {}", exp.toString());
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
        // Counted in the factory's stats().receiveErrors() (the dispatcher's dropped count).
        log.warn("NATS dropped messages for this node: it does not keep up ({} pending)", consumer.getPendingMessageCount());
    }

    @Override
    public void messageDiscarded(Connection conn, Message msg) {
        log.debug("NATS discarded an outgoing message on {}", msg.getSubject());
    }
}
