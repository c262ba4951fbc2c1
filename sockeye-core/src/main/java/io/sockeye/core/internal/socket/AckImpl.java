package io.sockeye.core.internal.socket;

import io.sockeye.core.Ack;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** The {@link Ack} handed to an event handler: answers at most once, or does nothing when not requested. */
final class AckImpl implements Ack {

    /** For events that asked for no acknowledgement. */
    static final Ack NONE = new Ack() {
        @Override
        public void send(Object... args) {
        }

        @Override
        public boolean requested() {
            return false;
        }

        @Override
        public String toString() {
            return "Ack(none)";
        }
    };

    private final Consumer<Object[]> reply;
    private final AtomicBoolean sent = new AtomicBoolean();

    AckImpl(Consumer<Object[]> reply) {
        this.reply = reply;
    }

    @Override
    public void send(Object... args) {
        // socket.io: "if (sent) return;" — a second answer to the same packet is ignored.
        if (sent.compareAndSet(false, true)) {
            reply.accept(args);
        }
    }

    @Override
    public boolean requested() {
        return true;
    }
}
