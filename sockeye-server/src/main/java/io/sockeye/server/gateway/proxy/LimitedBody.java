package io.sockeye.server.gateway.proxy;

import io.netty.buffer.ByteBuf;

/**
 * A response body collected into one array, up to a limit: a declared length past it is refused before a
 * byte is read, and a body growing past it stops there ({@link ProxyFailure.Reason#TOO_LARGE}), so a backend
 * answering with a huge body costs at most the limit in memory.
 */
final class LimitedBody {

    private final int max;
    private byte[] bytes;
    private int size;

    /**
     * @param max      the longest body accepted
     * @param declared the answer's {@code Content-Length}, or -1 without one
     * @throws ProxyFailure {@code TOO_LARGE} when {@code declared} is past {@code max}
     */
    LimitedBody(int max, long declared) {
        if (declared > max) {
            throw tooLarge(max);
        }
        this.max = max;
        this.bytes = new byte[(int) Math.max(0, declared >= 0 ? declared : Math.min(max, 256))];
    }

    /**
     * Appends {@code content}'s readable bytes (not released here).
     *
     * @throws ProxyFailure {@code TOO_LARGE} when the body grows past the limit
     */
    void append(ByteBuf content) {
        int n = content.readableBytes();
        if ((long) size + n > max) {
            bytes = null;
            throw tooLarge(max);
        }
        if (size + n > bytes.length) {
            byte[] bigger = new byte[Math.min(max, Math.max(bytes.length * 2, size + n))];
            System.arraycopy(bytes, 0, bigger, 0, size);
            bytes = bigger;
        }
        content.getBytes(content.readerIndex(), bytes, size, n);
        size += n;
    }

    /** The body read so far, exactly as long as it is. */
    byte[] bytes() {
        if (size == bytes.length) {
            return bytes;
        }
        byte[] out = new byte[size];
        System.arraycopy(bytes, 0, out, 0, size);
        return out;
    }

    private static ProxyFailure tooLarge(int max) {
        return new ProxyFailure(ProxyFailure.Reason.TOO_LARGE, "answer longer than " + max + " bytes");
    }
}
