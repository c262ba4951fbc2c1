package io.sockeye.cluster.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JSON as {@code JSON.stringify} writes it. */
class JsonTest {

    private static String json(Object value) {
        return new String(Json.encode(value, new ObjectMapper()), StandardCharsets.UTF_8);
    }

    @Test
    void writesCompactJsonInKeyOrderWithJavaScriptNumbers() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("uid", "ybGbT5");
        map.put("type", 6);
        map.put("data", List.of("ping", 1.0, 2.5, Double.NaN));
        assertThat(json(map)).isEqualTo("{\"uid\":\"ybGbT5\",\"type\":6,\"data\":[\"ping\",1,2.5,null]}");
    }

    @Test
    void writesBinaryLikeBufferToJsonAndDatesAsIsoStrings() {
        assertThat(json(List.of(new byte[]{1, (byte) 255}, Instant.ofEpochMilli(1500))))
                .isEqualTo("[{\"type\":\"Buffer\",\"data\":[1,255]},\"1970-01-01T00:00:01.500Z\"]");
    }

    @Test
    void readsPlainValues() {
        assertThat(Json.decode("{\"a\":[1,2.5,null,true]}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Map.of("a", java.util.Arrays.asList(1, 2.5, null, true)));
    }

    @Test
    void refusesMalformedAndTooDeepDocumentsWithTheCodecsException() {
        for (String text : List.of("", "{", "{\"a\":}", "[1,2", "\u00ff")) {
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            assertThatThrownBy(() -> Json.decode(bytes)).as(text).isInstanceOf(ClusterCodecException.class);
        }
        byte[] deep = "[".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Json.decode(deep)).isInstanceOf(ClusterCodecException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void refusesToWriteACyclicValue() {
        List<Object> cycle = new java.util.ArrayList<>();
        cycle.add(cycle);
        assertThatThrownBy(() -> Json.encode(cycle, new ObjectMapper()))
                .isInstanceOf(ClusterCodecException.class).hasMessageContaining("nested deeper");
        assertThatThrownBy(() -> MsgPack.encode(cycle, new ObjectMapper()))
                .isInstanceOf(ClusterCodecException.class).hasMessageContaining("nested deeper");
    }
}
