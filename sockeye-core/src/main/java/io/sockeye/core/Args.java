package io.sockeye.core;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of one event or acknowledgement, in order, without the event name and without the
 * ack callback. Immutable.
 *
 * <p>Values are plain Java as decoded from JSON: {@code LinkedHashMap<String,Object>},
 * {@code ArrayList<Object>}, {@code String}, {@code Integer}/{@code Long}/{@code BigInteger},
 * {@code Double}, {@code Boolean}, {@code null}, and {@code byte[]} for binary attachments.
 * {@link #as(int, Class)} maps one value to a POJO or record with the server's Jackson
 * {@link ObjectMapper} ({@link ServerOptions#objectMapper()}).
 */
public final class Args {

    private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper();

    private final List<Object> values;
    private final ObjectMapper mapper;

    private Args(List<Object> values, ObjectMapper mapper) {
        this.values = values;
        this.mapper = mapper;
    }

    /** Arguments backed by a copy of {@code values}, mapped with {@code mapper}. */
    public static Args of(List<?> values, ObjectMapper mapper) {
        return new Args(Collections.unmodifiableList(new ArrayList<>(values)), Objects.requireNonNull(mapper, "mapper"));
    }

    /** Arguments mapped with a plain {@code ObjectMapper}; handy in tests. */
    public static Args of(Object... values) {
        return of(java.util.Arrays.asList(values), DEFAULT_MAPPER);
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The raw value at {@code index}. */
    public Object get(int index) {
        return values.get(index);
    }

    /** The value at {@code index} as a string: strings as is, other non-null values via {@code toString()}. */
    public String getString(int index) {
        Object v = values.get(index);
        return v == null ? null : v.toString();
    }

    /** The binary value at {@code index}; fails if it is not binary. */
    public byte[] getBytes(int index) {
        Object v = values.get(index);
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        }
        throw new IllegalArgumentException("argument " + index + " is not binary but " + v.getClass().getSimpleName());
    }

    /** The value at {@code index} mapped to {@code type} with the server's object mapper. */
    public <T> T as(int index, Class<T> type) {
        Object v = values.get(index);
        if (v == null || type.isInstance(v)) {
            return type.cast(v);
        }
        return mapper.convertValue(v, type);
    }

    /** The value at {@code index} mapped to a generic type, e.g. {@code new TypeReference<List<Move>>() {}}. */
    public <T> T as(int index, TypeReference<T> type) {
        return mapper.convertValue(values.get(index), type);
    }

    /**
     * All arguments, taken as one JSON array, mapped to {@code type} — e.g. {@code String[].class}, or a
     * record annotated {@code @JsonFormat(shape = JsonFormat.Shape.ARRAY)}.
     */
    public <T> T all(Class<T> type) {
        return mapper.convertValue(values, type);
    }

    /** The arguments as an unmodifiable list. */
    public List<Object> list() {
        return values;
    }

    /** A fresh array of the arguments, e.g. to re-emit them: {@code socket.emit("echo", args.toArray())}. */
    public Object[] toArray() {
        return values.toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Args other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Args" + values;
    }
}
