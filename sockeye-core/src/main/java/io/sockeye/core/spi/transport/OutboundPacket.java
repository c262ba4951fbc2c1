package io.sockeye.core.spi.transport;

import io.netty.util.AbstractReferenceCounted;
import io.sockeye.protocol.engine.EnginePacket;
import io.sockeye.protocol.engine.EnginePacketType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * An Engine.IO packet on its way to the network, as a session hands it to its transport. It is
 * reference-counted and carries its prepared wire forms: a transport turns it into bytes once per
 * {@link WireVariant} ({@link #prepared}/{@link #prepare}) and writes a share of that form (a retained
 * duplicate of a buffer, say), so every session that holds the same packet writes the same bytes.
 *
 * <p>A broadcast makes one packet per event loop it reaches ({@link #shared}): every recipient on that
 * loop queues the same instance, each holding a reference, and the loop's writes prepare each variant
 * once. The prepared forms are released with the packet's last reference, i.e. after the last
 * recipient on the loop wrote it or dropped it. A packet's prepared forms are only touched on the
 * event loop that writes it; its reference count is thread-safe.
 */
public final class OutboundPacket extends AbstractReferenceCounted {

    private final EnginePacketType type;
    private final String text;
    private final byte[] binary;
    private byte[] utf8;
    // Indexed by WireVariant.index(); created by the first prepare.
    private Object[] prepared;

    private OutboundPacket(EnginePacketType type, String text, byte[] binary, byte[] utf8) {
        this.type = type;
        this.text = text;
        this.binary = binary;
        this.utf8 = utf8;
    }

    /** A control or message packet of one session (reference count 1, owned by the caller). */
    public static OutboundPacket of(EnginePacket packet) {
        return new OutboundPacket(packet.type(), packet.text(), packet.binary(), null);
    }

    /** A text {@code message} packet of one session ({@code text} without the leading {@code 4}). */
    public static OutboundPacket message(String text) {
        return new OutboundPacket(EnginePacketType.MESSAGE, Objects.requireNonNull(text, "text"), null, null);
    }

    /**
     * A text {@code message} packet that the sessions of one event loop share: a broadcast's packet on
     * that loop. {@code utf8} is {@code "4" + text} in UTF-8, computed once per broadcast (not copied:
     * do not modify it). Reference count 1, owned by the caller, who passes it to each session (which
     * retains it) and releases its own reference when done.
     */
    public static OutboundPacket shared(String text, byte[] utf8) {
        return new OutboundPacket(EnginePacketType.MESSAGE, Objects.requireNonNull(text, "text"), null,
                Objects.requireNonNull(utf8, "utf8"));
    }

    /** {@code "4" + text} in UTF-8: the bytes a {@link #shared} message carries, computed once per broadcast. */
    public static byte[] messageUtf8(String text) {
        return (EnginePacketType.MESSAGE.code() + text).getBytes(StandardCharsets.UTF_8);
    }

    /** A binary {@code message} packet (the array is not copied). */
    public static OutboundPacket binary(byte[] data) {
        return new OutboundPacket(EnginePacketType.MESSAGE, null, Objects.requireNonNull(data, "data"), null);
    }

    public EnginePacketType type() {
        return type;
    }

    public boolean isBinary() {
        return binary != null;
    }

    /** The bytes of a binary packet (shared, do not modify), or {@code null}. */
    public byte[] binary() {
        return binary;
    }

    /** The data of a text packet, without the type digit ({@code ""} for a bare ping), or {@code null}. */
    public String text() {
        return text;
    }

    /**
     * The text packet as a WebSocket text frame carries it, UTF-8 (type digit + data). Computed on first
     * use for a packet of one session; given for a shared one. Shared: do not modify.
     */
    public byte[] utf8() {
        byte[] u = utf8;
        if (u == null) {
            u = (type.code() + (text == null ? "" : text)).getBytes(StandardCharsets.UTF_8);
            utf8 = u;
        }
        return u;
    }

    /** The packet as a long-polling payload record (binary as {@code b} + base64). */
    public String pollingRecord() {
        if (binary != null) {
            return "b" + Base64.getEncoder().encodeToString(binary);
        }
        return type.code() + (text == null ? "" : text);
    }

    /** Approximate size, for the session's buffer accounting. */
    public long size() {
        return binary != null ? binary.length : (text == null ? 0 : text.length()) + 1;
    }

    /**
     * Whether a writer other than the caller still holds this packet (its reference count is above one):
     * only then is a prepared form worth keeping. A writer that is the last holder may write a fresh
     * form directly instead of preparing one.
     */
    public boolean hasOtherHolders() {
        return refCnt() > 1;
    }

    /** The form of this packet prepared for {@code variant}, or {@code null} when none was prepared yet. */
    @SuppressWarnings("unchecked")
    public <T> T prepared(WireVariant<T> variant) {
        Object[] p = prepared;
        int i = variant.index();
        return p != null && i < p.length ? (T) p[i] : null;
    }

    /**
     * Keeps {@code form} as this packet's {@code variant} form, for every other writer of the packet, and
     * returns it. The packet owns it from now on ({@link WireVariant#release} runs when the packet's last
     * reference goes): a writer writes a share of it, never the form itself.
     *
     * @throws IllegalStateException if a form for {@code variant} was already prepared
     */
    public <T> T prepare(WireVariant<T> variant, T form) {
        Objects.requireNonNull(form, "form");
        int i = variant.index();
        Object[] p = prepared;
        if (p == null || i >= p.length) {
            Object[] grown = new Object[Math.max(i + 1, WireVariant.count())];
            if (p != null) {
                System.arraycopy(p, 0, grown, 0, p.length);
            }
            prepared = p = grown;
        }
        if (p[i] != null) {
            variant.release(form);
            throw new IllegalStateException(variant + " is already prepared");
        }
        p[i] = form;
        return form;
    }

    @Override
    protected void deallocate() {
        Object[] p = prepared;
        if (p == null) {
            return;
        }
        prepared = null;
        for (int i = 0; i < p.length; i++) {
            if (p[i] != null) {
                WireVariant.byIndex(i).releaseUnchecked(p[i]);
            }
        }
    }

    @Override
    public OutboundPacket touch(Object hint) {
        return this;
    }

    @Override
    public OutboundPacket retain() {
        super.retain();
        return this;
    }

    @Override
    public String toString() {
        return "OutboundPacket(" + type + (binary != null ? ", " + binary.length + " bytes" : ", " + text) + ")";
    }
}
