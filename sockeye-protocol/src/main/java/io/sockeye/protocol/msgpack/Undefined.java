package io.sockeye.protocol.msgpack;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * JavaScript's {@code undefined}, for packets that must read exactly as a Node.js server writes them:
 * the msgpack encoder writes it as notepack.io does (fixext 1, type 0: {@code d4 00 00}), also as a map
 * value, where JSON would leave the key out. Decoding never produces it: an {@code undefined} from the
 * wire arrives as {@code null}. Written as JSON (through Jackson) it is {@code null}.
 */
public final class Undefined {

    /** The only instance. */
    public static final Undefined INSTANCE = new Undefined();

    private Undefined() {
    }

    /** What Jackson writes for it. */
    @JsonValue
    Object json() {
        return null;
    }

    @Override
    public String toString() {
        return "undefined";
    }
}
