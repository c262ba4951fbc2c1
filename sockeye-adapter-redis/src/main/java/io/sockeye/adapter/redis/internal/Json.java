package io.sockeye.adapter.redis.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * JSON as {@code JSON.stringify} writes it for the adapters' messages: no spaces, keys in insertion
 * order, integral numbers without a fraction ({@code 2}, not {@code 2.0}), NaN and infinities as
 * {@code null}, dates as ISO strings and binary as Node's {@code Buffer.toJSON()}
 * ({@code {"type":"Buffer","data":[1,2,3]}}). Reading gives plain Java values.
 */
public final class Json {

    /** Reads bus JSON into plain values; independent of the application's mapper settings. */
    private static final ObjectMapper READER = new ObjectMapper();
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {
    }

    public static byte[] encode(Object value, ObjectMapper mapper) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            write(gen, value, mapper);
        } catch (IOException e) {
            throw new UncheckedIOException("JSON encoding failed", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator gen, Object value, ObjectMapper mapper) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else if (value instanceof String s) {
            gen.writeString(s);
        } else if (value instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (value instanceof Number n) {
            writeNumber(gen, n);
        } else if (JsValues.isBinary(value)) {
            // What JSON.stringify makes of a Buffer.
            gen.writeStartObject();
            gen.writeStringField("type", "Buffer");
            gen.writeArrayFieldStart("data");
            for (byte b : JsValues.bytes(value)) {
                gen.writeNumber(b & 0xff);
            }
            gen.writeEndArray();
            gen.writeEndObject();
        } else if (value instanceof Map<?, ?> map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                gen.writeFieldName(String.valueOf(entry.getKey()));
                write(gen, entry.getValue(), mapper);
            }
            gen.writeEndObject();
        } else if (value instanceof Collection<?> list) {
            gen.writeStartArray();
            for (Object item : list) {
                write(gen, item, mapper);
            }
            gen.writeEndArray();
        } else if (value instanceof Object[] array) {
            gen.writeStartArray();
            for (Object item : array) {
                write(gen, item, mapper);
            }
            gen.writeEndArray();
        } else if (value instanceof CharSequence || value instanceof Character) {
            gen.writeString(value.toString());
        } else if (value instanceof java.time.Instant || value instanceof java.util.Date) {
            gen.writeString(JsValues.isoDate(JsValues.instant(value)));
        } else {
            Object plain = JsValues.plain(value, mapper);
            if (plain != null && plain.getClass() == value.getClass()) {
                throw new IllegalArgumentException("cannot encode " + value.getClass().getName());
            }
            write(gen, plain, mapper);
        }
    }

    private static void writeNumber(JsonGenerator gen, Number n) throws IOException {
        if (n instanceof BigInteger big) {
            gen.writeNumber(big);
            return;
        }
        Number js = JsValues.isIntegral(n) ? n : JsValues.jsNumber(n);
        if (js instanceof Double d) {
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                gen.writeNull(); // JSON.stringify(NaN) === "null"
            } else {
                gen.writeNumber(d);
            }
        } else {
            gen.writeNumber(js.longValue());
        }
    }

    /** Parses one JSON document; throws on malformed input. */
    public static Object decode(byte[] bytes) {
        try {
            return READER.readValue(bytes, Object.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
        }
    }
}
