package io.sockeye.bench.generator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenPacketTest {

    @Test
    void parsesTheHandshakeOfAnEngineIoV4Server() {
        OpenPacket open = OpenPacket.parse(
                "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
        assertThat(open.sid()).isEqualTo("lv_VI97HAXpY6yYWAAAC");
        assertThat(open.pingIntervalMs()).isEqualTo(25_000);
        assertThat(open.pingTimeoutMs()).isEqualTo(20_000);
        assertThat(open.maxPayload()).isEqualTo(1_000_000);
    }

    @Test
    void toleratesAMissingMaxPayload() {
        assertThat(OpenPacket.parse("0{\"sid\":\"a\",\"pingInterval\":300,\"pingTimeout\":200}").maxPayload()).isEqualTo(-1);
    }

    @Test
    void rejectsOtherPacketsAndBrokenJson() {
        assertThatThrownBy(() -> OpenPacket.parse("40")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenPacket.parse("0{\"sid\":")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenPacket.parse("0{\"pingInterval\":1}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OpenPacket.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
