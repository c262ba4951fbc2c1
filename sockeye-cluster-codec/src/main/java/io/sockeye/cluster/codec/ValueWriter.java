package io.sockeye.cluster.codec;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Map;

/**
 * One walk over an application value for both wire writers: {@link #write} decides what each Java
 * value is in JavaScript terms (see {@link JsValues}), a subclass writes it in its format. Walking
 * stops at {@link JsValues#MAX_DEPTH}, so a cyclic value fails instead of overflowing the stack.
 */
abstract class ValueWriter {

    private final ObjectMapper mapper;

    ValueWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    abstract void writeNull() throws IOException;

    abstract void writeString(String value) throws IOException;

    abstract void writeBoolean(boolean value) throws IOException;

    abstract void writeNumber(Number value) throws IOException;

    abstract void writeBinary(byte[] value) throws IOException;

    abstract void writeDate(Instant value) throws IOException;

    abstract void startMap(int size) throws IOException;

    abstract void writeKey(String key) throws IOException;

    abstract void endMap() throws IOException;

    abstract void startArray(int size) throws IOException;

    abstract void endArray() throws IOException;

    /** @throws ClusterCodecException when a value cannot be written */
    final void write(Object value) throws IOException {
        write(value, 0);
    }

    private void write(Object value, int depth) throws IOException {
        if (value == null) {
            writeNull();
        } else if (value instanceof String s) {
            writeString(s);
        } else if (value instanceof Boolean b) {
            writeBoolean(b);
        } else if (value instanceof Number n) {
            writeNumber(n);
        } else if (JsValues.isBinary(value)) {
            writeBinary(JsValues.bytes(value));
        } else if (value instanceof CharSequence || value instanceof Character) {
            writeString(value.toString());
        } else if (value instanceof Instant || value instanceof Date) {
            writeDate(JsValues.instant(value));
        } else {
            JsValues.checkDepth(depth);
            if (value instanceof Map<?, ?> map) {
                startMap(map.size());
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    writeKey(String.valueOf(entry.getKey()));
                    write(entry.getValue(), depth + 1);
                }
                endMap();
            } else if (value instanceof Collection<?> list) {
                startArray(list.size());
                for (Object item : list) {
                    write(item, depth + 1);
                }
                endArray();
            } else if (value instanceof Object[] array) {
                startArray(array.length);
                for (Object item : array) {
                    write(item, depth + 1);
                }
                endArray();
            } else {
                Object plain = JsValues.plain(value, mapper);
                if (plain != null && plain.getClass() == value.getClass()) {
                    throw new ClusterCodecException("cannot encode a " + value.getClass().getName());
                }
                write(plain, depth + 1);
            }
        }
    }
}
