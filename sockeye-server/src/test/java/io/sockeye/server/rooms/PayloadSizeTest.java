package io.sockeye.server.rooms;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadSizeTest {

    @Test
    void measuresStringsWithTheirQuotes() {
        assertThat(PayloadSize.exceeds("abc", 5)).isFalse();
        assertThat(PayloadSize.exceeds("abc", 4)).isTrue();
    }

    @Test
    void measuresBinaryAtItsByteLength() {
        assertThat(PayloadSize.exceeds(new byte[100], 100)).isFalse();
        assertThat(PayloadSize.exceeds(new byte[101], 100)).isTrue();
    }

    @Test
    void addsUpNestedObjectsAndArrays() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text", "x".repeat(50));
        data.put("list", List.of(new byte[30], 12345, true));
        assertThat(PayloadSize.exceeds(data, 60)).isTrue();
        assertThat(PayloadSize.exceeds(data, 200)).isFalse();
    }

    @Test
    void stopsEarlyOnAHugePayload() {
        List<Object> huge = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) {
            huge.add("item");
        }
        assertThat(PayloadSize.exceeds(huge, 1_000)).isTrue();
    }

    @Test
    void nullIsSmall() {
        assertThat(PayloadSize.exceeds(null, 10)).isFalse();
    }
}
