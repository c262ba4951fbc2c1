package io.sockeye.core.recovery;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * A position in a namespace's stream of broadcasts: the stream's epoch and a sequence number. Every
 * broadcast that carries an offset takes the next sequence number of its stream; the epoch changes
 * whenever the stream's state is lost (a process restart for the in-memory store, a flushed Redis for
 * a shared one), so a position from an earlier life of the stream is never mistaken for a current one.
 *
 * <p>Positions of one epoch are ordered by {@link #sequence()}; positions of different epochs are not
 * comparable. {@link OffsetFormat} turns a position into the offset string clients see.
 *
 * @param epoch    the stream's epoch, e.g. {@code k3j9x0qa}
 * @param sequence the sequence number, 0 before the first broadcast of the epoch
 */
public record StreamPosition(String epoch, long sequence) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    public StreamPosition {
        Objects.requireNonNull(epoch, "epoch");
        if (epoch.isEmpty()) {
            throw new IllegalArgumentException("epoch must not be empty");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative: " + sequence);
        }
    }

    /** The start of a stream: sequence 0 of {@code epoch}. */
    public static StreamPosition start(String epoch) {
        return new StreamPosition(epoch, 0);
    }

    /** A fresh random epoch: {@value OffsetFormat#EPOCH_LENGTH} lowercase base36 characters. */
    public static String newEpoch() {
        char[] out = new char[OffsetFormat.EPOCH_LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = BASE36[RANDOM.nextInt(BASE36.length)];
        }
        return new String(out);
    }

    /** The position right after this one, in the same epoch. */
    public StreamPosition next() {
        return new StreamPosition(epoch, sequence + 1);
    }

    /** Whether {@code other} is in the same epoch. */
    public boolean sameEpoch(StreamPosition other) {
        return epoch.equals(other.epoch);
    }

    /** This position in the {@link OffsetFormat#STANDARD} offset form. */
    @Override
    public String toString() {
        return OffsetFormat.STANDARD.format(this);
    }
}
