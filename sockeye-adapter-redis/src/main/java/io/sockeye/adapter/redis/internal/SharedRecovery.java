package io.sockeye.adapter.redis.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.cluster.codec.ClusterMessageCodec;
import io.sockeye.cluster.codec.RedisStreamsFormat;
import io.sockeye.core.adapter.ClusterPayload.Broadcast;
import io.sockeye.core.adapter.NamespaceContext;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.RecoveryContext;
import io.sockeye.core.recovery.StreamPosition;

import java.time.Duration;
import java.util.function.Function;

/** The Redis stores of the pub/sub adapters' shared recovery, sized from the server's settings. */
public final class SharedRecovery {

    /** Entries one history read returns per room log (the core asks for pages of its own size). */
    static final int PAGE_SIZE = 100;

    private SharedRecovery() {
    }

    /**
     * The namespace's stream: room logs bounded by the history's entries per room, kept for its age
     * after their last entry; their markers outlive any session that could be owed their entries
     * (age + window + heartbeat).
     */
    public static RoomHistory history(RedisBus bus, String key, NamespaceContext namespace, RecoveryContext context,
                                      boolean sharded, Function<byte[], Broadcast> decoder) {
        Duration age = context.options().history().maxAge();
        Duration markers = age.plus(context.options().maxDisconnectionDuration()).plus(context.heartbeat());
        return new RoomHistory(bus, key, namespace.name(), decoder, namespace.encoder()::encode,
                context.options().history().maxEntriesPerRoom(), age, markers, PAGE_SIZE, sharded);
    }

    /**
     * Sessions at {@code <key>:session:<pid>}, in the Redis Streams adapter's value format with
     * Sockeye's offsets.
     */
    public static StreamSessions sessions(RedisBus bus, String key, String namespace, ObjectMapper mapper) {
        return new StreamSessions(bus, key + ":session:", namespace,
                new RedisStreamsFormat(new ClusterMessageCodec(mapper), false),
                OffsetFormat.STANDARD, StreamPosition.start("00000000"));
    }
}
