package io.sockeye.protocol.socket;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Objects;

/**
 * Encodes Socket.IO v5 packets: {@code <type>[<attachments>-][<nsp>,][<ackId>][<JSON>]}, the namespace
 * omitted when it is {@code /}. Thread-safe; one per server.
 *
 * <p>Like socket.io-parser's {@code Encoder}, an EVENT or ACK whose data holds binary anywhere
 * ({@code byte[]} or {@link java.nio.ByteBuffer}, also inside Maps, Lists, arrays, POJOs and records)
 * goes out as BINARY_EVENT / BINARY_ACK with {@code {"_placeholder":true,"num":N}} in place of each
 * binary and the bytes as attachments. A BINARY_* packet without binary data goes out as the plain
 * type. Binary data in CONNECT or CONNECT_ERROR packets is refused.
 */
public final class SocketPacketEncoder {

    private final JsonFactory factory = JsonFactory.builder().build();
    private final ObjectWriter pojoWriter;

    /** @param mapper serialises the POJOs and records found in packet data (it is not modified) */
    public SocketPacketEncoder(ObjectMapper mapper) {
        Objects.requireNonNull(mapper, "mapper");
        // Packets must stay one line, and flushing after each nested POJO would only cost time.
        this.pojoWriter = mapper.writer()
                .without(SerializationFeature.INDENT_OUTPUT)
                .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    }

    /**
     * Encodes one packet.
     *
     * @throws IllegalArgumentException if the data cannot be serialised, or holds binary data in a
     *                                  packet type that cannot carry attachments
     */
    public EncodedPacket encode(SocketPacket packet) {
        SocketPacketType type = packet.type();
        StringBuilder sb = new StringBuilder(64);
        sb.append(type.code()); // the final type digit is set below, once we know about attachments
        if (!SocketPacket.MAIN_NAMESPACE.equals(packet.nsp())) {
            sb.append(packet.nsp()).append(',');
        }
        if (packet.hasId()) {
            sb.append(packet.id());
        }
        List<byte[]> attachments = packet.data() == null ? List.of() : writeJson(sb, packet.data());

        if (type.isEvent() || type.isAck()) {
            // "the encoder auto-upgrades EVENT/ACK to BINARY_* when any binary is found"
            SocketPacketType wire = attachments.isEmpty()
                    ? (type.isEvent() ? SocketPacketType.EVENT : SocketPacketType.ACK)
                    : (type.isEvent() ? SocketPacketType.BINARY_EVENT : SocketPacketType.BINARY_ACK);
            sb.setCharAt(0, wire.code());
            if (!attachments.isEmpty()) {
                sb.insert(1, attachments.size() + "-");
            }
        } else if (!attachments.isEmpty()) {
            throw new IllegalArgumentException(type + " packet cannot carry binary data");
        }
        return new EncodedPacket(sb.toString(), attachments);
    }

    private List<byte[]> writeJson(StringBuilder sb, Object data) {
        try (AttachmentWriter writer = new AttachmentWriter(newGenerator(sb), pojoWriter)) {
            writer.writeValue(data);
            writer.flush();
            return writer.attachments();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise packet data: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise packet data: " + e.getMessage(), e);
        }
    }

    private JsonGenerator newGenerator(StringBuilder sb) throws IOException {
        return factory.createGenerator(new StringBuilderWriter(sb));
    }

    /** An unsynchronised Writer onto the packet's StringBuilder (StringWriter locks on every write). */
    private static final class StringBuilderWriter extends Writer {
        private final StringBuilder sb;

        StringBuilderWriter(StringBuilder sb) {
            this.sb = sb;
        }

        @Override
        public void write(char[] chars, int off, int len) {
            sb.append(chars, off, len);
        }

        @Override
        public void write(String str, int off, int len) {
            sb.append(str, off, off + len);
        }

        @Override
        public void write(int c) {
            sb.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
