package io.sockeye.core;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgsTest {

    record Point(int x, int y) {
    }

    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    record Pair(String name, int count) {
    }

    @Test
    void readsRawAndStringValues() {
        Args args = Args.of("a", 1, null, Map.of("k", "v"));
        assertThat(args.size()).isEqualTo(4);
        assertThat(args.get(1)).isEqualTo(1);
        assertThat(args.getString(1)).isEqualTo("1");
        assertThat(args.getString(2)).isNull();
        assertThat(args.list()).hasSize(4);
        assertThat(args.toArray()).containsExactly("a", 1, null, Map.of("k", "v"));
    }

    @Test
    void mapsValuesToPojosAndGenericTypes() {
        Args args = Args.of(Map.of("x", 1, "y", 2), List.of(Map.of("x", 3, "y", 4)));
        assertThat(args.as(0, Point.class)).isEqualTo(new Point(1, 2));
        assertThat(args.as(1, new TypeReference<List<Point>>() { })).containsExactly(new Point(3, 4));
    }

    @Test
    void mapsAllArgumentsAsOneArray() {
        assertThat(Args.of("apples", 3).all(Pair.class)).isEqualTo(new Pair("apples", 3));
        assertThat(Args.of("a", "b").all(String[].class)).containsExactly("a", "b");
    }

    @Test
    void binaryValuesAreByteArrays() {
        Args args = Args.of(new byte[]{1, 2}, "text");
        assertThat(args.getBytes(0)).containsExactly(1, 2);
        assertThatThrownBy(() -> args.getBytes(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isImmutable() {
        Args args = Args.of("a");
        assertThatThrownBy(() -> args.list().add("b")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(args).isEqualTo(Args.of("a")).hasSameHashCodeAs(Args.of("a"));
    }
}
