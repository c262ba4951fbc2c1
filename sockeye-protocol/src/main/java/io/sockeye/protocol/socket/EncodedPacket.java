package io.sockeye.protocol.socket;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The result of encoding one Socket.IO packet: its text part (without the Engine.IO {@code 4}
 * message prefix) and its binary attachments in placeholder order. Immutable and shareable, so a
 * broadcast encodes once and hands the same instance to every recipient.
 *
 * <p>The byte arrays (attachments and {@link #websocketFrame()}) are shared, not copied: callers must
 * not modify them.
 */
public final class EncodedPacket {

    private final String text;
    private final List<byte[]> attachments;
    // Volatile so the array's contents are safely published with the reference; computing it twice
    // in a race is harmless (same bytes).
    private volatile byte[] websocketFrame;

    public EncodedPacket(String text, List<byte[]> attachments) {
        this.text = Objects.requireNonNull(text, "text");
        this.attachments = List.copyOf(attachments);
    }

    /** The Socket.IO text, e.g. {@code 2["hello",1]}, without the Engine.IO {@code 4} prefix. */
    public String text() {
        return text;
    }

    /** The binary attachments, each sent as its own Engine.IO binary message after the text. */
    public List<byte[]> attachments() {
        return attachments;
    }

    /** True when binary attachments follow the text. */
    public boolean hasAttachments() {
        return !attachments.isEmpty();
    }

    /**
     * The UTF-8 bytes of the Engine.IO message {@code "4" + text()}, ready for a WebSocket text
     * frame; computed once and shared by every caller.
     */
    public byte[] websocketFrame() {
        byte[] frame = websocketFrame;
        if (frame == null) {
            frame = ("4" + text).getBytes(StandardCharsets.UTF_8);
            websocketFrame = frame;
        }
        return frame;
    }

    @Override
    public String toString() {
        return attachments.isEmpty() ? text : text + " +" + attachments.size() + " attachment(s)";
    }
}
