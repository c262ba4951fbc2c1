package io.sockeye.core.internal.socket;

import io.sockeye.core.Handshake;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakesTest {

    @Test
    void formatsTimeLikeJavaScriptDateToString() {
        long millis = 1_709_633_730_000L; // 2024-03-05T10:15:30Z
        assertThat(Handshakes.jsDate(millis, ZoneId.of("UTC")))
                .isEqualTo("Tue Mar 05 2024 10:15:30 GMT+0000 (Coordinated Universal Time)");
        assertThat(Handshakes.jsDate(millis, ZoneId.of("Europe/Berlin")))
                .isEqualTo("Tue Mar 05 2024 11:15:30 GMT+0100 (Central European Standard Time)");
        assertThat(Handshakes.jsDate(1_720_000_000_000L, ZoneId.of("Europe/Berlin")))
                .endsWith("GMT+0200 (Central European Summer Time)");
    }

    @Test
    void readsANodeHandshakeFromTheWire() {
        Map<String, Object> wire = Map.of(
                "headers", Map.of("host", "x", "accept", List.of("a", "b")),
                "time", "Tue Mar 05 2024", "address", "::1", "xdomain", true, "secure", false,
                "issued", 1_709_633_730_000L, "url", "/socket.io/?EIO=4", "query", Map.of("EIO", "4"),
                "auth", Map.of("token", "t"));
        Handshake h = Handshakes.fromWire(wire);
        assertThat(h.headers()).containsEntry("host", "x").containsEntry("accept", "a, b");
        assertThat(h.address()).isEqualTo("::1");
        assertThat(h.xdomain()).isTrue();
        assertThat(h.issued()).isEqualTo(1_709_633_730_000L);
        assertThat(h.query()).containsEntry("EIO", "4");
        assertThat(h.auth()).containsEntry("token", "t");
        assertThat(Handshakes.fromWire(null).auth()).isEmpty();
    }
}
