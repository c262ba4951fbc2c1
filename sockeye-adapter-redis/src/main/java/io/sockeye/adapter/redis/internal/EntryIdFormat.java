package io.sockeye.adapter.redis.internal;

import io.sockeye.cluster.codec.RedisStreamsFormat;
import io.sockeye.core.recovery.OffsetFormat;
import io.sockeye.core.recovery.StreamPosition;

/**
 * Offsets of the Redis Streams adapter: the stream entry ids themselves ({@code <ms>-<seq>}), as the
 * Node.js adapter hands them to clients, so that a client recovers on a Sockeye node or a Node.js one
 * alike. A position packs the id into its sequence — the milliseconds above {@value #SEQUENCE_BITS} bits
 * of entry sequence — so positions compare in stream order. Ids Redis generates fit: milliseconds below
 * 2^44 (the year 2527) and fewer than 2^19 entries in one millisecond; anything else does not parse.
 *
 * <p>There is one epoch, {@value #EPOCH}: an entry id does not say which life of the stream it is
 * from. What the history lost instead shows as a gap — the stream no longer holding what follows the
 * offset — and a stream Redis lost entirely took the recovery sessions with it.
 */
public final class EntryIdFormat implements OffsetFormat {

    public static final EntryIdFormat INSTANCE = new EntryIdFormat();
    public static final String EPOCH = "stream";
    static final int SEQUENCE_BITS = 19;
    private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;
    private static final long MAX_MILLIS = (1L << (63 - SEQUENCE_BITS)) - 1;

    /** Before the first entry: a stream that was empty, or did not exist. */
    public static final StreamPosition START = new StreamPosition(EPOCH, 0);
    /**
     * The start of a session that did not say where it started (one a Node.js node saved): entry id
     * {@code 0-1}, which Redis never generates. A recovery from it without an offset cannot know what
     * the client missed.
     */
    public static final StreamPosition UNKNOWN_START = new StreamPosition(EPOCH, 1);

    private EntryIdFormat() {
    }

    @Override
    public String format(StreamPosition position) {
        if (!EPOCH.equals(position.epoch())) {
            throw new IllegalArgumentException("not a stream position: " + position.epoch());
        }
        long sequence = position.sequence();
        return (sequence >>> SEQUENCE_BITS) + "-" + (sequence & MAX_SEQUENCE);
    }

    @Override
    public StreamPosition parse(String offset) {
        if (!RedisStreamsFormat.isEntryId(offset)) {
            return null;
        }
        int dash = offset.indexOf('-');
        long millis = Long.parseUnsignedLong(offset, 0, dash, 10);
        long sequence = Long.parseUnsignedLong(offset, dash + 1, offset.length(), 10);
        // Unsigned values past Long.MAX_VALUE are negative here: out of range as well.
        if (millis < 0 || millis > MAX_MILLIS || sequence < 0 || sequence > MAX_SEQUENCE) {
            return null;
        }
        return new StreamPosition(EPOCH, (millis << SEQUENCE_BITS) | sequence);
    }

    /** The millisecond part of a position's entry id. */
    static long millis(StreamPosition position) {
        return position.sequence() >>> SEQUENCE_BITS;
    }

    @Override
    public String toString() {
        return "EntryIdFormat";
    }
}
