package io.sockeye.bench.generator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadsTest {

    @Test
    void payloadIsValidJsonOfTheRequestedSizeCarryingRoomAndTimestamp() throws Exception {
        String json = new Payloads("room", 128).json(1_700_000_000_000_000_000L);
        assertThat(json).hasSize(128);
        JsonNode node = new ObjectMapper().readTree(json);
        assertThat(node.get("room").asText()).isEqualTo("room");
        assertThat(node.get("t").asLong()).isEqualTo(1_700_000_000_000_000_000L);
        ByteBuf buf = Unpooled.copiedBuffer(Frames.event("/", -1, "msg", json), StandardCharsets.UTF_8);
        try {
            assertThat(Frames.timestamp(buf)).isEqualTo(1_700_000_000_000_000_000L);
        } finally {
            buf.release();
        }
    }

    @Test
    void tooSmallASizeStillGivesEveryField() throws Exception {
        String json = new Payloads("r", 1).json(7);
        assertThat(new ObjectMapper().readTree(json).get("p").asText()).isEmpty();
    }

    @Test
    void epochClockIsCloseToTheWallClock() {
        long wall = System.currentTimeMillis() * 1_000_000L;
        assertThat(Math.abs(EpochClock.nanos() - wall)).isLessThan(5_000_000_000L);
    }

    @Test
    void histogramsSurviveTheTextEncoding() {
        Histogram h = new Histogram(Generator.HIGHEST_US, 3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i);
        }
        Histogram back = HistogramCodec.decode(HistogramCodec.encode(h));
        assertThat(back.getTotalCount()).isEqualTo(1000);
        assertThat(back.getValueAtPercentile(99)).isEqualTo(h.getValueAtPercentile(99));
    }

    @Test
    void sourceAddressesStayInLoopbackAndMoveOnAfterEachBlock() {
        assertThat(SourceAddresses.addressFor(0, 0).getHostAddress()).isEqualTo("127.16.0.1");
        assertThat(SourceAddresses.addressFor(0, SourceAddresses.PER_ADDRESS - 1).getHostAddress()).isEqualTo("127.16.0.1");
        assertThat(SourceAddresses.addressFor(0, SourceAddresses.PER_ADDRESS).getHostAddress()).isEqualTo("127.16.0.2");
        assertThat(SourceAddresses.addressFor(2, 300L * SourceAddresses.PER_ADDRESS).getHostAddress()).isEqualTo("127.18.1.45");
        assertThat(SourceAddresses.addressFor(3, 0).isLoopbackAddress()).isTrue();
    }
}
