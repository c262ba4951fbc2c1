package io.sockeye.server.gateway.proxy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GrantScopeTest {

    @Test
    void aGrantIsInsideWhenEveryRoomItMatchesIsInTheScope() {
        GrantScope scope = new GrantScope(List.of("chat:*", "user:{sub}", "news:?"));
        assertThat(scope.contains("chat:*")).isTrue();
        assertThat(scope.contains("chat:lobby")).isTrue();
        assertThat(scope.contains("chat:a:*")).isTrue();
        assertThat(scope.contains("chat:?")).isTrue();
        assertThat(scope.contains("user:{sub}")).isTrue();
        assertThat(scope.contains("user:alice")).isTrue();
        assertThat(scope.contains("news:1")).isTrue();
        assertThat(scope.contains("news:?")).isTrue();

        assertThat(scope.contains("*")).isFalse();
        assertThat(scope.contains("admin:*")).isFalse();
        assertThat(scope.contains("chat*")).as("also matches 'chatroom'").isFalse();
        assertThat(scope.contains("news:*")).as("'news:12' is outside news:?").isFalse();
        assertThat(scope.contains("user:*")).as("'user:' alone is outside user:{sub}").isFalse();
    }

    @Test
    void theWildcardScopeContainsEverything() {
        GrantScope all = new GrantScope(List.of("*"));
        assertThat(all.contains("*")).isTrue();
        assertThat(all.contains("user:{sub}:*")).isTrue();
    }

    @Test
    void anEmptyScopeContainsNothing() {
        assertThat(new GrantScope(List.of()).contains("chat:lobby")).isFalse();
    }
}
