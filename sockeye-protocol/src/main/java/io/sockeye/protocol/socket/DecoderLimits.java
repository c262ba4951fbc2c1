package io.sockeye.protocol.socket;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * What a {@link SocketPacketDecoder} accepts from the network, checked while the bytes are read and
 * before any value is converted. Immutable and thread-safe: a server builds one from its options and
 * shares it between the decoders of all its connections (it holds the configured JSON parser factory).
 *
 * <ul>
 *   <li><b>Packet text</b>: at most {@code maxPacketLength} characters; a server passes its
 *       {@code maxHttpBufferSize}, the largest message its transports accept.</li>
 *   <li><b>JSON strings and object keys</b>: as long as the packet text, no shorter. A string can never
 *       be longer than the message that carries it, so every payload the transport lets through
 *       passes; the limit exists so the decoder is bounded on its own too.</li>
 *   <li><b>JSON numbers</b>: at most {@value #MAX_NUMBER_LENGTH} characters. A JavaScript number
 *       prints in at most 24 characters; the rest leaves room for the big integers and decimals of
 *       Python or Java clients. Converting a number costs time quadratic in its length, so one of
 *       500,000 digits would hold an event loop for seconds; this one costs microseconds.</li>
 *   <li><b>Nesting</b>: at most {@value #MAX_NESTING_DEPTH} arrays or objects deep, the same as a
 *       default Jackson {@code ObjectMapper} accepts when it maps the arguments to user types.</li>
 *   <li><b>Attachments</b>: at most {@code maxAttachments} per binary packet (socket.io-parser's
 *       {@code maxAttachments}, default {@value #DEFAULT_MAX_ATTACHMENTS}).</li>
 * </ul>
 * A packet past any of them is a {@link io.sockeye.protocol.ProtocolException} naming the limit.
 */
public final class DecoderLimits {

    /** socket.io-parser 4.2.6 default for {@code maxAttachments}. */
    public static final int DEFAULT_MAX_ATTACHMENTS = 10;
    /** engine.io's default {@code maxHttpBufferSize}, the largest message a default server accepts. */
    public static final int DEFAULT_MAX_PACKET_LENGTH = 1_000_000;
    /** Longest JSON number, in characters. */
    public static final int MAX_NUMBER_LENGTH = 1000;
    /** Deepest nesting of JSON arrays and objects. */
    public static final int MAX_NESTING_DEPTH = 1000;

    private static final DecoderLimits DEFAULTS = of(DEFAULT_MAX_ATTACHMENTS, DEFAULT_MAX_PACKET_LENGTH);

    private final int maxAttachments;
    private final int maxPacketLength;
    private final JsonFactory json;

    private DecoderLimits(int maxAttachments, int maxPacketLength) {
        this.maxAttachments = maxAttachments;
        this.maxPacketLength = maxPacketLength;
        // Interning names from untrusted input only fills the JVM string table; canonicalising is enough.
        this.json = JsonFactory.builder()
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(maxPacketLength)
                        .maxNameLength(maxPacketLength)
                        .maxDocumentLength(maxPacketLength)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build())
                .build();
    }

    /**
     * @param maxAttachments  the most binary attachments one packet may announce
     * @param maxPacketLength the longest packet text, in characters (values past
     *                        {@link Integer#MAX_VALUE} mean no limit beyond Java's own)
     */
    public static DecoderLimits of(int maxAttachments, long maxPacketLength) {
        if (maxAttachments < 0) {
            throw new IllegalArgumentException("maxAttachments must be >= 0: " + maxAttachments);
        }
        if (maxPacketLength <= 0) {
            throw new IllegalArgumentException("maxPacketLength must be positive: " + maxPacketLength);
        }
        return new DecoderLimits(maxAttachments, (int) Math.min(maxPacketLength, Integer.MAX_VALUE));
    }

    /** {@value #DEFAULT_MAX_ATTACHMENTS} attachments, packets up to {@value #DEFAULT_MAX_PACKET_LENGTH} characters. */
    public static DecoderLimits defaults() {
        return DEFAULTS;
    }

    public int maxAttachments() {
        return maxAttachments;
    }

    public int maxPacketLength() {
        return maxPacketLength;
    }

    JsonFactory json() {
        return json;
    }
}
