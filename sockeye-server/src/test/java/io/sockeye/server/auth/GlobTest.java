package io.sockeye.server.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlobTest {

    @Test
    void starMatchesAnyRunIncludingSeparatorsAndNothing() {
        Glob chat = Glob.compile("chat:*");
        assertThat(chat.matches("chat:")).isTrue();
        assertThat(chat.matches("chat:lobby")).isTrue();
        assertThat(chat.matches("chat:a:b/c")).isTrue();
        assertThat(chat.matches("chats:lobby")).isFalse();
        assertThat(chat.matches("xchat:lobby")).isFalse();
        assertThat(Glob.compile("*").matches("")).isTrue();
        assertThat(Glob.compile("*").matches("anything:at/all")).isTrue();
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        Glob news = Glob.compile("news:?");
        assertThat(news.matches("news:1")).isTrue();
        assertThat(news.matches("news:12")).isFalse();
        assertThat(news.matches("news:")).isFalse();
    }

    @Test
    void matchesTheWholeNameCaseSensitively() {
        Glob lobby = Glob.compile("lobby");
        assertThat(lobby.matches("lobby")).isTrue();
        assertThat(lobby.matches("Lobby")).isFalse();
        assertThat(lobby.matches("lobby2")).isFalse();
        assertThat(lobby.matches("my-lobby")).isFalse();
    }

    @Test
    void backtracksAcrossSeveralStars() {
        Glob g = Glob.compile("a*b*c");
        assertThat(g.matches("abc")).isTrue();
        assertThat(g.matches("aXbYc")).isTrue();
        assertThat(g.matches("abcabc")).isTrue();
        assertThat(g.matches("abcab")).isFalse();
        assertThat(Glob.compile("*a*a*a*b").matches("a".repeat(200))).isFalse();
        assertThat(Glob.compile("**x").matches("yyx")).isTrue();
    }

    @Test
    void boundSubMatchesExactlyThatUserId() {
        Glob user = Glob.compile("user:{sub}");
        assertThat(user.hasSubPlaceholder()).isTrue();
        assertThat(user.matches("user:alice", "alice")).isTrue();
        assertThat(user.matches("user:alice", "bob")).isFalse();
        assertThat(user.matches("user:alicex", "alice")).isFalse();
        Glob priv = Glob.compile("private:{sub}:*");
        assertThat(priv.matches("private:bob:notes", "bob")).isTrue();
        assertThat(priv.matches("private:bobby:notes", "bob")).isFalse();
    }

    @Test
    void userIdsAreLiteralNeverWildcards() {
        Glob user = Glob.compile("user:{sub}");
        assertThat(user.matches("user:alice", "*")).isFalse();
        assertThat(user.matches("user:alice", "?????")).isFalse();
        assertThat(user.matches("user:*", "*")).isTrue();
    }

    @Test
    void unboundSubMatchesOneOrMoreCharacters() {
        Glob user = Glob.compile("user:{sub}");
        assertThat(user.matches("user:alice")).isTrue();
        assertThat(user.matches("user:a:b")).isTrue();
        assertThat(user.matches("user:")).isFalse();
        assertThat(Glob.compile("{sub}:inbox").matches("bob:inbox")).isTrue();
        assertThat(Glob.compile("{sub}:inbox").matches(":inbox")).isFalse();
    }

    @Test
    void otherBracesAreLiteral() {
        assertThat(Glob.compile("x{y}").matches("x{y}")).isTrue();
        assertThat(Glob.compile("x{y}").hasSubPlaceholder()).isFalse();
    }

    @Test
    void rejectsEmptyPatternsAndNeverMatchesNull() {
        assertThatThrownBy(() -> Glob.compile("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Glob.compile(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Glob.compile("*").matches(null)).isFalse();
    }
}
