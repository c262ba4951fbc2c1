package io.sockeye.core.adapter;

import io.sockeye.protocol.socket.SocketPacket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** Small pure helpers of {@link ClusterAdapter}: offsets on replayable events, one-shot replies, ids. */
final class ClusterSupport {

    private ClusterSupport() {
    }

    /** PROTOCOL.md §3.1: only EVENTs without ack and not volatile get an offset (and can be replayed). */
    static boolean offsetEligible(SocketPacket packet, BroadcastOptions opts) {
        return packet.type().isEvent() && !packet.hasId() && !opts.flags().isVolatile();
    }

    static SocketPacket withOffset(SocketPacket packet, String offset) {
        if (offset == null) {
            return packet;
        }
        List<Object> args = new ArrayList<>(packet.args());
        args.add(offset);
        return new SocketPacket(packet.type(), packet.nsp(), packet.id(), args);
    }

    static Consumer<Object> once(Consumer<Object> reply) {
        AtomicBoolean called = new AtomicBoolean();
        return value -> {
            if (called.compareAndSet(false, true)) {
                reply.accept(value);
            }
        };
    }

    /** 8 random bytes as 16 hex characters, like socket.io's {@code randomId()}. */
    static String randomId() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }
}
