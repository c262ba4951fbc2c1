package io.sockeye.core.spi.transport;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One wire form of an {@link OutboundPacket}: the WebSocket text frame, the WebSocket binary frame (a
 * msgpack packet), the long-polling record and, later, a compressed one. A transport declares each variant it writes
 * once, as a constant, and prepares it per packet with {@link OutboundPacket#prepare}; the packet
 * releases the form with {@link #release} when its last reference goes.
 *
 * @param <T> the prepared form, e.g. a Netty {@code ByteBuf} or a {@code String}
 */
public final class WireVariant<T> {

    private static final CopyOnWriteArrayList<WireVariant<?>> ALL = new CopyOnWriteArrayList<>();

    private final String name;
    private final Consumer<? super T> release;
    private final int index;

    private WireVariant(String name, Consumer<? super T> release, int index) {
        this.name = name;
        this.release = release;
        this.index = index;
    }

    /**
     * Declares a variant. Call once per variant (keep it in a constant): each declaration takes a slot
     * in every packet that prepares it.
     *
     * @param release frees a prepared form (e.g. {@code ByteBuf::release}); a no-op for plain objects
     */
    public static synchronized <T> WireVariant<T> declare(String name, Consumer<? super T> release) {
        WireVariant<T> variant = new WireVariant<>(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(release, "release"), ALL.size());
        ALL.add(variant);
        return variant;
    }

    int index() {
        return index;
    }

    static int count() {
        return ALL.size();
    }

    static WireVariant<?> byIndex(int index) {
        return ALL.get(index);
    }

    void release(T form) {
        release.accept(form);
    }

    @SuppressWarnings("unchecked")
    void releaseUnchecked(Object form) {
        release.accept((T) form);
    }

    @Override
    public String toString() {
        return "WireVariant(" + name + ")";
    }
}
