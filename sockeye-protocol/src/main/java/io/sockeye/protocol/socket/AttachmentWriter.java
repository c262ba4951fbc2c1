package io.sockeye.protocol.socket;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Writes one packet's JSON payload and pulls binary data out of it: every {@code byte[]} or
 * {@link ByteBuffer} becomes {@code {"_placeholder":true,"num":N}} and is appended to
 * {@link #attachments()}, in depth-first order as socket.io-parser's {@code deconstructPacket} does.
 *
 * <p>Plain values (Map with String keys, Collection, arrays, String, numbers, booleans) are written
 * directly. Anything else goes through the user's {@link ObjectWriter} with this generator as target;
 * Jackson's serializers for {@code byte[]} and {@code ByteBuffer} end in {@link #writeBinary}, which
 * is intercepted here, so binary nested in POJOs and records is found too. One instance per encode call.
 */
final class AttachmentWriter extends JsonGeneratorDelegate {

    private final ObjectWriter pojoWriter;
    private List<byte[]> attachments;

    AttachmentWriter(JsonGenerator target, ObjectWriter pojoWriter) {
        // delegateCopyMethods=false: writeObject & co must come back here, not bypass the interception
        super(target, false);
        this.pojoWriter = pojoWriter;
    }

    /** The binary data found so far, in placeholder order. */
    List<byte[]> attachments() {
        return attachments == null ? List.of() : attachments;
    }

    /** Writes any supported value; the fast path avoids databind for plain JSON-like values. */
    void writeValue(Object value) throws IOException {
        JsonGenerator g = delegate;
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Double d) {
            writeDouble(g, d);
        } else if (value instanceof List<?> list) {
            g.writeStartArray(list, list.size());
            for (int i = 0, n = list.size(); i < n; i++) {
                writeValue(list.get(i));
            }
            g.writeEndArray();
        } else if (value instanceof Map<?, ?> map && hasStringKeys(map)) {
            g.writeStartObject(map, map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName((String) e.getKey());
                writeValue(e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof byte[] bytes) {
            writeAttachment(bytes);
        } else if (value instanceof ByteBuffer buffer) {
            // Like Jackson's own serializer, read without moving the caller's position.
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            writeAttachment(bytes);
        } else if (value instanceof Collection<?> collection) {
            g.writeStartArray(collection, collection.size());
            for (Object element : collection) {
                writeValue(element);
            }
            g.writeEndArray();
        } else if (value instanceof Object[] array) {
            g.writeStartArray(array, array.length);
            for (Object element : array) {
                writeValue(element);
            }
            g.writeEndArray();
        } else if (value instanceof Float f) {
            if (Float.isFinite(f)) {
                g.writeNumber(f); // as a float, so 0.1f stays "0.1"
            } else {
                g.writeNull();
            }
        } else if (value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).intValue());
        } else if (value instanceof BigInteger big) {
            g.writeNumber(big);
        } else if (value instanceof BigDecimal big) {
            g.writeNumber(big);
        } else {
            pojoWriter.writeValue(this, value);
        }
    }

    // JSON.stringify writes NaN and ±Infinity as null; Jackson would write the string "NaN".
    private static void writeDouble(JsonGenerator g, double d) throws IOException {
        if (Double.isFinite(d)) {
            g.writeNumber(d);
        } else {
            g.writeNull();
        }
    }

    private static boolean hasStringKeys(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                return false;
            }
        }
        return true;
    }

    // Key order matters: peers compare the text, and socket.io writes "_placeholder" first.
    private void writeAttachment(byte[] bytes) throws IOException {
        if (attachments == null) {
            attachments = new ArrayList<>(2);
        }
        JsonGenerator g = delegate;
        g.writeStartObject();
        g.writeFieldName("_placeholder");
        g.writeBoolean(true);
        g.writeFieldName("num");
        g.writeNumber(attachments.size());
        g.writeEndObject();
        attachments.add(bytes);
    }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) throws IOException {
        writeAttachment(offset == 0 && len == data.length ? data : Arrays.copyOfRange(data, offset, offset + len));
    }

    @Override
    public int writeBinary(Base64Variant variant, InputStream data, int dataLength) throws IOException {
        byte[] bytes = dataLength < 0 ? data.readAllBytes() : data.readNBytes(dataLength);
        writeAttachment(bytes);
        return bytes.length;
    }

    @Override
    public void writeEmbeddedObject(Object object) throws IOException {
        writeValue(object);
    }

    @Override
    public void writeObject(Object value) throws IOException {
        writeValue(value);
    }

    @Override
    public void writePOJO(Object value) throws IOException {
        writeValue(value);
    }

    @Override
    public void writeTree(TreeNode tree) throws IOException {
        writeValue(tree);
    }
}
