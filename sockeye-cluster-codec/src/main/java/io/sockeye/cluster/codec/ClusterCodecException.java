package io.sockeye.cluster.codec;

/**
 * Bytes that are not a cluster message (malformed JSON or msgpack, a field missing or of the wrong
 * kind, a length beyond the message), or an application value that cannot be written. The only
 * exception the codecs of this package throw; the message names what is wrong, never more than a few
 * characters of the input.
 */
public final class ClusterCodecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ClusterCodecException(String message) {
        super(message);
    }

    public ClusterCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
