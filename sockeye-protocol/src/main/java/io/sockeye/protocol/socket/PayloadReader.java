package io.sockeye.protocol.socket;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sockeye.protocol.ProtocolException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds plain Java values from a streaming JSON parser, without an intermediate tree:
 * LinkedHashMap (key order kept), ArrayList, String, Integer/Long/BigInteger, Double, Boolean, null.
 *
 * <p>For a binary packet it also finds the placeholders {@code {"_placeholder":true,"num":i}}, checks
 * each index against the announced attachment count, and remembers where each one sits so that
 * {@link #fill} can put the received bytes there without walking the value again.
 * One instance per decoded packet.
 */
final class PayloadReader {

    private final int attachmentCount; // 0 for a packet that is not binary: placeholders stay plain maps
    private List<Slot> slots;

    PayloadReader(int attachmentCount) {
        this.attachmentCount = attachmentCount;
    }

    /** Reads the value that starts at the parser's current token {@code token}. */
    Object read(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_ARRAY:
                return readArray(p);
            case START_OBJECT:
                return readObject(p);
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue(); // Integer, Long or BigInteger, whichever fits
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new ProtocolException("invalid payload: unexpected JSON token " + token);
        }
    }

    private List<Object> readArray(JsonParser p) throws IOException {
        List<Object> list = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            Object value = read(p, t);
            if (value instanceof Placeholder placeholder) {
                slot(new Slot(list, list.size(), null, placeholder));
            }
            list.add(value);
        }
        return list;
    }

    private Object readObject(JsonParser p) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        String name;
        while ((name = p.nextFieldName()) != null) {
            Object value = read(p, p.nextToken());
            if (value instanceof Placeholder placeholder) {
                slot(new Slot(map, -1, name, placeholder));
            }
            map.put(name, value);
        }
        if (attachmentCount > 0 && Boolean.TRUE.equals(map.get("_placeholder"))) {
            return placeholder(map.get("num"));
        }
        return map;
    }

    // "Placeholder num must be in range, else error" (socket.io-parser reconstructPacket).
    private Placeholder placeholder(Object num) {
        if (num instanceof Number n) {
            double d = n.doubleValue();
            if (d >= 0 && d < attachmentCount && d == Math.rint(d)) {
                return new Placeholder((int) d);
            }
        }
        throw new ProtocolException("illegal attachments: placeholder num " + num
                + " is not an index below the attachment count " + attachmentCount);
    }

    private void slot(Slot slot) {
        if (slots == null) {
            slots = new ArrayList<>(2);
        }
        slots.add(slot);
    }

    /** Replaces every placeholder found by {@link #read} with its attachment. */
    @SuppressWarnings("unchecked")
    void fill(List<byte[]> attachments) {
        if (slots == null) {
            return;
        }
        for (Slot slot : slots) {
            byte[] bytes = attachments.get(slot.placeholder.num);
            if (slot.container instanceof List<?> list) {
                ((List<Object>) list).set(slot.index, bytes);
            } else {
                // replace only if still there: a duplicate key may have overwritten the placeholder
                ((Map<String, Object>) slot.container).replace(slot.key, slot.placeholder, bytes);
            }
        }
    }

    /** A placeholder awaiting its attachment; compared by identity. */
    static final class Placeholder {
        final int num;

        Placeholder(int num) {
            this.num = num;
        }
    }

    private record Slot(Object container, int index, String key, Placeholder placeholder) {
    }
}
