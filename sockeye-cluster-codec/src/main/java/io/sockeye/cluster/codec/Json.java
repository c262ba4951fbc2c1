package io.sockeye.cluster.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;

/**
 * JSON as {@code JSON.stringify} writes it for the adapters' messages: no spaces, keys in insertion
 * order, integral numbers without a fraction ({@code 2}, not {@code 2.0}), NaN and infinities as
 * {@code null}, dates as ISO strings and binary as Node's {@code Buffer.toJSON()}
 * ({@code {"type":"Buffer","data":[1,2,3]}}). Reading gives plain Java values, nested at most
 * {@link JsValues#MAX_DEPTH} levels.
 */
public final class Json {

    /** Reads bus JSON into plain values; independent of the application's mapper settings. */
    private static final ObjectMapper READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(JsValues.MAX_DEPTH).build())
            .build());
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {
    }

    /**
     * The JSON text of {@code value}, UTF-8.
     *
     * @throws ClusterCodecException when a value cannot be written
     */
    public static byte[] encode(Object value, ObjectMapper mapper) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            new Writer(gen, mapper).write(value);
        } catch (IOException e) {
            throw new UncheckedIOException("JSON encoding failed", e); // an in-memory stream does not fail
        }
        return out.toByteArray();
    }

    /** Java values as {@code JSON.stringify} writes the JavaScript values they stand for. */
    private static final class Writer extends ValueWriter {

        private final JsonGenerator gen;

        Writer(JsonGenerator gen, ObjectMapper mapper) {
            super(mapper);
            this.gen = gen;
        }

        @Override
        void writeNull() throws IOException {
            gen.writeNull();
        }

        @Override
        void writeString(String value) throws IOException {
            gen.writeString(value);
        }

        @Override
        void writeBoolean(boolean value) throws IOException {
            gen.writeBoolean(value);
        }

        @Override
        void writeNumber(Number n) throws IOException {
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

        /** What {@code JSON.stringify} makes of a {@code Buffer}. */
        @Override
        void writeBinary(byte[] value) throws IOException {
            gen.writeStartObject();
            gen.writeStringField("type", "Buffer");
            gen.writeArrayFieldStart("data");
            for (byte b : value) {
                gen.writeNumber(b & 0xff);
            }
            gen.writeEndArray();
            gen.writeEndObject();
        }

        @Override
        void writeDate(Instant value) throws IOException {
            gen.writeString(JsValues.isoDate(value));
        }

        @Override
        void startMap(int size) throws IOException {
            gen.writeStartObject();
        }

        @Override
        void writeKey(String key) throws IOException {
            gen.writeFieldName(key);
        }

        @Override
        void endMap() throws IOException {
            gen.writeEndObject();
        }

        @Override
        void startArray(int size) throws IOException {
            gen.writeStartArray();
        }

        @Override
        void endArray() throws IOException {
            gen.writeEndArray();
        }
    }

    /**
     * Parses one JSON document.
     *
     * @throws ClusterCodecException on malformed input, or nesting past {@link JsValues#MAX_DEPTH}
     */
    public static Object decode(byte[] bytes) {
        try {
            return READER.readValue(bytes, Object.class);
        } catch (JsonProcessingException e) {
            throw new ClusterCodecException("malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ClusterCodecException("malformed JSON: " + e.getMessage(), e);
        }
    }
}
