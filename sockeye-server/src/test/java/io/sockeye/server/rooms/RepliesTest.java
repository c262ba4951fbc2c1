package io.sockeye.server.rooms;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RepliesTest {

    @Test
    void okStartsWithOkTrueThenTheFieldsInOrder() {
        assertThat(Replies.ok("room", "chat", "count", 2))
                .containsExactly(Map.entry("ok", true), Map.entry("room", "chat"), Map.entry("count", 2));
    }

    @Test
    void anErrorIsOkFalseWithCodeAndMessage() {
        assertThat(Replies.error(ErrorCode.RATE_LIMITED, "slow down")).containsExactly(
                Map.entry("ok", false), Map.entry("error", Map.of("code", "rate_limited", "message", "slow down")));
    }

    @Test
    void everyProtocolErrorCodeIsSpelledAsTheIssueSays() {
        assertThat(List.of(ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ErrorCode.INVALID, ErrorCode.TOO_LARGE,
                ErrorCode.RATE_LIMITED, ErrorCode.NOT_SUBSCRIBED, ErrorCode.UNAVAILABLE))
                .extracting(ErrorCode::code)
                .containsExactly("unauthorized", "forbidden", "invalid", "too_large", "rate_limited",
                        "not_subscribed", "unavailable");
    }
}
