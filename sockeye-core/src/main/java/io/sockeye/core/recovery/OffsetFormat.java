package io.sockeye.core.recovery;

/**
 * How a {@link StreamPosition} is written as the offset string that travels as the last argument of
 * an event, and read back from a client's CONNECT auth. Offsets are opaque to clients.
 *
 * <p>Obligations of an implementation: {@link #format} and {@link #parse} are inverse for every
 * position the store hands out; {@link #parse} is strict and total — it returns {@code null} for
 * anything it did not produce (wrong length, alphabet or separator, out-of-range numbers), never
 * throws; both are pure and thread-safe.
 */
public interface OffsetFormat {

    /** Length of an epoch in the standard format. */
    int EPOCH_LENGTH = 8;
    /** Number of decimal digits of the sequence in the standard format. */
    int SEQUENCE_DIGITS = 16;
    /** Length of a standard offset: epoch, {@code .}, sequence. */
    int STANDARD_LENGTH = EPOCH_LENGTH + 1 + SEQUENCE_DIGITS;

    /**
     * Sockeye's offsets: an 8-character lowercase base36 epoch, {@code .}, and the sequence as 16
     * zero-padded decimal digits, e.g. {@code k3j9x0qa.0000000000000042} (25 characters). The fixed
     * length lets a store splice an offset into an already encoded message; offsets of one epoch also
     * compare as strings in sequence order.
     */
    OffsetFormat STANDARD = new OffsetFormat() {
        @Override
        public String format(StreamPosition position) {
            String epoch = position.epoch();
            if (!isEpoch(epoch, 0, epoch.length())) {
                throw new IllegalArgumentException("not a standard epoch: " + epoch);
            }
            long sequence = position.sequence();
            if (sequence > MAX_SEQUENCE) {
                throw new IllegalArgumentException("sequence beyond " + SEQUENCE_DIGITS + " digits: " + sequence);
            }
            char[] out = new char[STANDARD_LENGTH];
            epoch.getChars(0, EPOCH_LENGTH, out, 0);
            out[EPOCH_LENGTH] = '.';
            for (int i = STANDARD_LENGTH - 1; i > EPOCH_LENGTH; i--) {
                out[i] = (char) ('0' + sequence % 10);
                sequence /= 10;
            }
            return new String(out);
        }

        @Override
        public StreamPosition parse(String offset) {
            if (offset == null || offset.length() != STANDARD_LENGTH || offset.charAt(EPOCH_LENGTH) != '.'
                    || !isEpoch(offset, 0, EPOCH_LENGTH)) {
                return null;
            }
            long sequence = 0;
            for (int i = EPOCH_LENGTH + 1; i < STANDARD_LENGTH; i++) {
                char c = offset.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                sequence = sequence * 10 + (c - '0'); // 16 digits cannot overflow a long
            }
            return new StreamPosition(offset.substring(0, EPOCH_LENGTH), sequence);
        }

        @Override
        public String toString() {
            return "OffsetFormat.STANDARD";
        }
    };

    /** The largest sequence number a standard offset can carry. */
    long MAX_SEQUENCE = 9_999_999_999_999_999L;

    /** The offset string of {@code position}. */
    String format(StreamPosition position);

    /** The position an offset string stands for, or {@code null} when it is not a valid offset. */
    StreamPosition parse(String offset);

    private static boolean isEpoch(String s, int from, int to) {
        if (to - from != EPOCH_LENGTH) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }
}
