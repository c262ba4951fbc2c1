package io.sockeye.core.adapter;

import io.sockeye.core.recovery.OffsetPlaceholder;
import io.sockeye.protocol.socket.EncodedPacket;
import io.sockeye.protocol.socket.SocketPacket;

import java.util.ArrayList;
import java.util.List;

/**
 * Appends an offset as the last argument of an already encoded EVENT, the way socket.io's session-aware
 * adapters push it onto {@code packet.data} before encoding: {@code 2["ev",1]} becomes
 * {@code 2["ev",1,"<offset>"]}. Splicing the text keeps the JSON encoding of the arguments out of the
 * namespace's stream lock. Every {@link OffsetPlaceholder} among the arguments becomes the offset too.
 */
final class Offsets {

    private Offsets() {
    }

    /**
     * {@code packet} with {@code offset} as its last argument.
     *
     * @throws IllegalArgumentException when the text does not end with the event's array, or the offset
     *                                  is not printable ASCII without quote or backslash
     */
    static EncodedPacket append(EncodedPacket packet, String offset) {
        String text = packet.text();
        int end = text.length() - 1;
        if (end < 1 || text.charAt(end) != ']') {
            throw new IllegalArgumentException("not an encoded event: " + text);
        }
        for (int i = 0; i < offset.length(); i++) {
            char c = offset.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                throw new IllegalArgumentException("offset must be printable ASCII without quote or backslash: " + offset);
            }
        }
        String spliced = new StringBuilder(text.length() + offset.length() + 3)
                .append(text, 0, end).append(",\"").append(offset).append("\"]").toString();
        return new EncodedPacket(OffsetPlaceholder.resolve(spliced, offset), packet.attachments());
    }

    /** {@code packet} with {@code offset} as its last argument, as its encoding has it (for outgoing listeners). */
    static SocketPacket append(SocketPacket packet, String offset) {
        List<Object> data = new ArrayList<>(packet.args().size() + 1);
        for (Object arg : packet.args()) {
            data.add(OffsetPlaceholder.resolve(arg, offset));
        }
        data.add(offset);
        return new SocketPacket(packet.type(), packet.nsp(), packet.id(), data);
    }
}
