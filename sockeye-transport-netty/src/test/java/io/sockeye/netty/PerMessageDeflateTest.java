package io.sockeye.netty;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Negotiation of permessage-deflate by RFC 7692's rules: what is accepted, how, and what is declined. */
class PerMessageDeflateTest {

    private static final PerMessageDeflate ON = PerMessageDeflate.enabled(1024);
    private static final String ANSWER = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

    private static String negotiate(String... headers) {
        return ON.negotiate(List.of(headers));
    }

    @Test
    void answersEveryPlainOfferWithNoContextTakeoverOnBothSides() {
        assertThat(negotiate("permessage-deflate")).isEqualTo(ANSWER);
        assertThat(negotiate("Permessage-Deflate ;  client_no_context_takeover")).isEqualTo(ANSWER);
        assertThat(negotiate("permessage-deflate; server_no_context_takeover; client_no_context_takeover")).isEqualTo(ANSWER);
    }

    @Test
    void acceptsWhatBrowsersAndWsOfferWithoutNarrowingTheClientWindow() {
        assertThat(negotiate("permessage-deflate; client_max_window_bits")).isEqualTo(ANSWER); // Chromium, ws
        assertThat(negotiate("permessage-deflate; client_max_window_bits=10")).isEqualTo(ANSWER);
        assertThat(negotiate("permessage-deflate; client_max_window_bits=\"12\"")).isEqualTo(ANSWER);
    }

    @Test
    void aFifteenBitServerWindowIsAcceptedByNamingIt() {
        assertThat(negotiate("permessage-deflate; server_max_window_bits=15"))
                .isEqualTo(ANSWER + "; server_max_window_bits=15");
    }

    @Test
    void declinesOffersTheRfcSaysToDecline() {
        assertThat(negotiate("permessage-deflate; client_max_window_bits=99")).isNull();
        assertThat(negotiate("permessage-deflate; client_max_window_bits=7")).isNull();
        assertThat(negotiate("permessage-deflate; client_max_window_bits=010")).isNull();
        assertThat(negotiate("permessage-deflate; server_max_window_bits")).isNull(); // needs a value
        assertThat(negotiate("permessage-deflate; server_no_context_takeover=1")).isNull();
        assertThat(negotiate("permessage-deflate; client_no_context_takeover; client_no_context_takeover")).isNull();
        assertThat(negotiate("permessage-deflate; mystery")).isNull();
    }

    @Test
    void declinesASmallServerWindowItCannotHonourAndTakesTheNextOffer() {
        assertThat(negotiate("permessage-deflate; server_max_window_bits=10")).isNull();
        assertThat(negotiate("permessage-deflate; server_max_window_bits=10, permessage-deflate; client_max_window_bits"))
                .isEqualTo(ANSWER);
        assertThat(negotiate("x-webkit-deflate-frame", "permessage-deflate; client_max_window_bits=99",
                "permessage-deflate")).isEqualTo(ANSWER);
    }

    @Test
    void otherExtensionsAndNoOfferGetNothing() {
        assertThat(negotiate("x-webkit-deflate-frame")).isNull();
        assertThat(ON.negotiate(List.of())).isNull();
        assertThat(ON.negotiate(null)).isNull();
    }

    @Test
    void disabledIgnoresEveryOffer() {
        assertThat(PerMessageDeflate.DISABLED.negotiate(List.of("permessage-deflate"))).isNull();
        assertThatThrownBy(() -> PerMessageDeflate.enabled(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
