package io.sockeye.server.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.sockeye.server.auth.Access.ANYONE;
import static io.sockeye.server.auth.Access.AUTHENTICATED;
import static io.sockeye.server.auth.Access.NONE;
import static io.sockeye.server.auth.Access.OWNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PermissionsTest {

    private static final List<RoomRule> RULES = List.of(
            new RoomRule("user:{sub}", OWNER, AUTHENTICATED, OWNER, false),
            new RoomRule("private:{sub}:*", OWNER, OWNER, OWNER, true),
            new RoomRule("public:*", ANYONE, AUTHENTICATED, ANYONE, true),
            RoomRule.of("members:*", AUTHENTICATED),
            RoomRule.of("locked:*", NONE));

    private final Principal alice = new Principal("alice", RoomGrants.none());
    private final Principal bob = new Principal("bob", RoomGrants.none());
    private final Principal anonymous = Principal.anonymous();
    private final Permissions permissions = new Permissions(RULES, false);

    @Test
    void deniesEverythingNoRuleOrGrantAllows() {
        Permissions none = new Permissions(List.of(), false);
        for (Principal p : List.of(alice, anonymous)) {
            assertThat(none.canSubscribe(p, "lobby")).isFalse();
            assertThat(none.canPublish(p, "lobby")).isFalse();
            assertThat(none.canSeePresence(p, "lobby")).isFalse();
        }
        assertThat(permissions.canSubscribe(alice, "elsewhere")).isFalse();
        assertThat(permissions.canSubscribe(alice, null)).isFalse();
    }

    @Test
    void ownerRoomsBelongToTheirUserOnly() {
        assertThat(permissions.canSubscribe(alice, "user:alice")).isTrue();
        assertThat(permissions.canSubscribe(bob, "user:alice")).isFalse();
        assertThat(permissions.canSubscribe(anonymous, "user:alice")).isFalse();
        assertThat(permissions.canSeePresence(alice, "user:alice")).isTrue();
        assertThat(permissions.canSeePresence(bob, "user:alice")).isFalse();
        // publish is "authenticated" here: anyone signed in may write to alice's inbox
        assertThat(permissions.canPublish(bob, "user:alice")).isTrue();
        assertThat(permissions.canPublish(anonymous, "user:alice")).isFalse();

        assertThat(permissions.canSubscribe(bob, "private:bob:notes")).isTrue();
        assertThat(permissions.canPublish(bob, "private:bob:notes")).isTrue();
        assertThat(permissions.canSubscribe(alice, "private:bob:notes")).isFalse();
        assertThat(permissions.canSubscribe(new Principal("bo", RoomGrants.none()), "private:bob:notes")).isFalse();
    }

    @Test
    void aUserIdWithWildcardCharactersOwnsNothingElse() {
        Principal star = new Principal("*", RoomGrants.none());
        assertThat(permissions.canSubscribe(star, "user:alice")).isFalse();
        assertThat(permissions.canSubscribe(star, "private:bob:notes")).isFalse();
    }

    @Test
    void anyoneAndAuthenticatedRules() {
        assertThat(permissions.canSubscribe(anonymous, "public:lobby")).isTrue();
        assertThat(permissions.canSeePresence(anonymous, "public:lobby")).isTrue();
        assertThat(permissions.canPublish(anonymous, "public:lobby")).isFalse();
        assertThat(permissions.canPublish(alice, "public:lobby")).isTrue();

        assertThat(permissions.canSubscribe(anonymous, "members:x")).isFalse();
        assertThat(permissions.canSubscribe(alice, "members:x")).isTrue();
        assertThat(permissions.canPublish(alice, "members:x")).isTrue();
    }

    @Test
    void noneRulesDenyEveryoneWithoutAGrant() {
        assertThat(permissions.canSubscribe(alice, "locked:vault")).isFalse();
        assertThat(permissions.canPublish(alice, "locked:vault")).isFalse();
        assertThat(permissions.canSeePresence(anonymous, "locked:vault")).isFalse();
    }

    @Test
    void tokenGrantsAllowOnTheirOwnPerAction() {
        Principal carol = new Principal("carol",
                new RoomGrants(List.of("locked:*", "inbox:{sub}"), List.of("news:?"), List.of("locked:vault")));
        assertThat(permissions.canSubscribe(carol, "locked:vault")).isTrue();
        assertThat(permissions.canPublish(carol, "locked:vault")).isFalse();
        assertThat(permissions.canSeePresence(carol, "locked:vault")).isTrue();
        assertThat(permissions.canPublish(carol, "news:1")).isTrue();
        assertThat(permissions.canPublish(carol, "news:12")).isFalse();
        // {sub} in a grant is the bearer's own id
        assertThat(permissions.canSubscribe(carol, "inbox:carol")).isTrue();
        assertThat(permissions.canSubscribe(carol, "inbox:dave")).isFalse();
        // grants add to rules, they take nothing away
        assertThat(permissions.canSubscribe(carol, "members:x")).isTrue();
    }

    @Test
    void theFirstMatchingRuleDecides() {
        Permissions p = new Permissions(List.of(RoomRule.of("a:secret", NONE), RoomRule.of("a:*", ANYONE)), false);
        assertThat(p.canSubscribe(alice, "a:secret")).isFalse();
        assertThat(p.canSubscribe(alice, "a:open")).isTrue();
        // a broad rule after "user:{sub}" cannot open other users' rooms
        Permissions q = new Permissions(List.of(RoomRule.of("user:{sub}", OWNER), RoomRule.of("*", AUTHENTICATED)), false);
        assertThat(q.canSubscribe(bob, "user:alice")).isFalse();
        assertThat(q.canSubscribe(bob, "lobby")).isTrue();
    }

    @Test
    void allowAnonymousOpensEveryRoomNoRuleCovers() {
        Permissions open = new Permissions(List.of(), true);
        assertThat(open.anonymousAllowed()).isTrue();
        assertThat(open.canSubscribe(anonymous, "anything")).isTrue();
        assertThat(open.canPublish(anonymous, "anything")).isTrue();
        assertThat(open.canSeePresence(anonymous, "anything")).isTrue();
        assertThat(open.presenceEnabled("anything")).isTrue();

        Permissions demo = new Permissions(RULES, true);
        assertThat(demo.canPublish(anonymous, "chat:lobby")).isTrue();
        assertThat(demo.canSubscribe(anonymous, "locked:vault")).isFalse();
        assertThat(demo.canSubscribe(anonymous, "user:alice")).isFalse();
        assertThat(demo.canSubscribe(alice, "user:alice")).isTrue();
        assertThat(demo.presenceEnabled("user:alice")).isFalse();
    }

    @Test
    void presenceIsOnUnlessTheMatchingRuleTurnsItOff() {
        assertThat(permissions.presenceEnabled("user:alice")).isFalse();
        assertThat(permissions.presenceEnabled("public:lobby")).isTrue();
        assertThat(permissions.presenceEnabled("uncovered")).isTrue();
    }

    @Test
    void ownerAccessNeedsASubPlaceholder() {
        assertThatThrownBy(() -> RoomRule.of("user:*", OWNER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{sub}");
        assertThatThrownBy(() -> new RoomRule("", ANYONE, ANYONE, ANYONE, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesConfigurationSpellingsOfAccess() {
        assertThat(Access.parse("anyone")).isEqualTo(ANYONE);
        assertThat(Access.parse(" Authenticated ")).isEqualTo(AUTHENTICATED);
        assertThat(Access.parse("OWNER")).isEqualTo(OWNER);
        assertThat(OWNER.configName()).isEqualTo("owner");
        assertThatThrownBy(() -> Access.parse("everyone")).isInstanceOf(IllegalArgumentException.class);
    }
}
