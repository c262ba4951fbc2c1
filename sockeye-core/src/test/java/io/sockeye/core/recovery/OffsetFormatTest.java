package io.sockeye.core.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffsetFormatTest {

    private static final OffsetFormat FORMAT = OffsetFormat.STANDARD;

    @Test
    void formatsEpochDotSixteenDigits() {
        assertThat(FORMAT.format(new StreamPosition("k3j9x0qa", 42))).isEqualTo("k3j9x0qa.0000000000000042");
        assertThat(FORMAT.format(new StreamPosition("00000000", OffsetFormat.MAX_SEQUENCE)))
                .isEqualTo("00000000.9999999999999999");
    }

    @Test
    void parsesWhatItFormats() {
        StreamPosition position = new StreamPosition(StreamPosition.newEpoch(), 123_456_789L);
        assertThat(FORMAT.parse(FORMAT.format(position))).isEqualTo(position);
    }

    @Test
    void offsetsOfOneEpochCompareInSequenceOrder() {
        String epoch = StreamPosition.newEpoch();
        assertThat(FORMAT.format(new StreamPosition(epoch, 9))).isLessThan(FORMAT.format(new StreamPosition(epoch, 10)));
    }

    @Test
    void newEpochsAreEightLowercaseBase36Characters() {
        for (int i = 0; i < 100; i++) {
            assertThat(StreamPosition.newEpoch()).matches("[0-9a-z]{8}");
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"k3j9x0qa.000000000000004", "k3j9x0qa.00000000000000042", "K3J9X0QA.0000000000000042",
            "k3j9x0q!.0000000000000042", "k3j9x0qa:0000000000000042", "k3j9x0qa.00000000000000-1",
            "k3j9x0qa.+000000000000042", "k3j9x0qa.0000000000000０42", " k3j9x0qa.000000000000042", "1-0", "MzUPkW0"})
    void refusesAnythingElse(String offset) {
        assertThat(FORMAT.parse(offset)).isNull();
    }

    @Test
    void refusesToFormatWhatItCouldNotParse() {
        assertThatThrownBy(() -> FORMAT.format(new StreamPosition("toolongepoch", 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FORMAT.format(new StreamPosition("k3j9x0qa", OffsetFormat.MAX_SEQUENCE + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
