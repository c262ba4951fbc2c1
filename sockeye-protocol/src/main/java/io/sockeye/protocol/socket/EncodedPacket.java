package io.sockeye.protocol.socket;

import java.util.List;
import java.util.Objects;

/**
 * The result of encoding one Socket.IO packet: its text part (without the Engine.IO {@code 4}
 * message prefix) and its binary attachments in placeholder order. Immutable and shareable, so a
 * broadcast encodes once and hands the same instance to every recipient.
 *
 * <p>The attachments are shared, not copied: callers must not modify them.
 */
public final class EncodedPacket {

    private final String text;
    private final List<byte[]> attachments;

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

    @Override
    public String toString() {
        return attachments.isEmpty() ? text : text + " +" + attachments.size() + " attachment(s)";
    }
}
