package io.sockeye.bench.generator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseLinesTest {

    private static final String EVENT = "id: k3j9x0qa.0000000000000042\nevent: bench\n"
            + "data: {\"data\":{\"room\":\"room\",\"t\":1765100000123456789,\"p\":\"abc\"},"
            + "\"meta\":{\"room\":\"room\",\"from\":null,\"id\":\"9f3c-1k\",\"ts\":1765100000123,\"offset\":\"k3j9x0qa.0000000000000042\"}}\n\n";

    private final SseLines lines = new SseLines();
    private final List<Long> timestamps = new ArrayList<>();

    private void feed(String... chunks) {
        for (String chunk : chunks) {
            ByteBuf buf = Unpooled.copiedBuffer(chunk, StandardCharsets.UTF_8);
            try {
                lines.feed(buf, timestamps::add);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void reportsTheSendTimestampOfEachDataLineAndSkipsTheOtherFields() {
        feed("retry: 3000\n\n" + EVENT + ":\n\nid: k3j9x0qa.0000000000000043\n\n" + EVENT);

        assertThat(timestamps).containsExactly(1765100000123456789L, 1765100000123456789L);
    }

    @Test
    void joinsALineSplitAcrossChunksWhereverTheSplitFalls() {
        for (int split = 1; split < EVENT.length(); split++) {
            timestamps.clear();
            feed(EVENT.substring(0, split), EVENT.substring(split));

            assertThat(timestamps).as("split at %d", split).containsExactly(1765100000123456789L);
        }
    }

    @Test
    void endsLinesAtCrLfAndAtALoneCrAsTheStandardAllows() {
        feed("data: {\"t\":1}\r\n\r\ndata: {\"t\":2}\r\rdata: {\"t\":3}\r", "\n\r\n");

        assertThat(timestamps).containsExactly(1L, 2L, 3L);
    }

    @Test
    void reportsMinusOneForADataLineWithoutTimestampAndNothingForAnUnfinishedLine() {
        feed("event: presence:join\ndata: {\"data\":{\"user\":\"u\"}}\n\ndata: {\"t\":5");

        assertThat(timestamps).containsExactly(-1L);
    }

    @Test
    void readsALineLongerThanItsInitialBuffer() {
        feed("data: {\"p\":\"" + "x".repeat(5000) + "\",\"t\":77}\n");

        assertThat(timestamps).containsExactly(77L);
    }
}
