package io.sockeye.server.rooms;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "chat", "user:alice", "team/42.general", "a_b-c.d@e:f/g", "ABCxyz0189"})
    void acceptsRoomNamesOfTheAllowedCharacters(String room) {
        assertThat(Names.isValidRoom(room)).isTrue();
        assertThat(Names.requireRoom(room)).isEqualTo(room);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "with space", "hash#tag", "star*", "é", "new\nline", "quote\"", "presence#chat", "tab\t"})
    void refusesAnyOtherCharacter(String room) {
        assertThat(Names.isValidRoom(room)).isFalse();
        assertThatThrownBy(() -> Names.requireRoom(room)).isInstanceOfSatisfying(RoomsException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID));
    }

    @Test
    void roomNamesHaveAtMost200Characters() {
        assertThat(Names.isValidRoom("r".repeat(200))).isTrue();
        assertThat(Names.isValidRoom("r".repeat(201))).isFalse();
    }

    @Test
    void aRoomMustBeAString() {
        assertThat(Names.isValidRoom(null)).isFalse();
        assertThat(Names.isValidRoom(42)).isFalse();
        assertThat(Names.isValidRoom(java.util.List.of("a"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"subscribe", "unsubscribe", "publish", "presence", "refresh", "presence:join",
            "presence:anything", "connect", "connect_error", "disconnect", "disconnecting", "newListener",
            "removeListener", "sockeye:error"})
    void reservedEventNamesAreInvalid(String event) {
        assertThatThrownBy(() -> Names.requireEvent(event)).isInstanceOfSatisfying(RoomsException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID));
    }

    @Test
    void otherEventNamesAreFine() {
        assertThat(Names.requireEvent("message")).isEqualTo("message");
        assertThat(Names.requireEvent("chat:message")).isEqualTo("chat:message");
    }

    @Test
    void anEventNameIsANonEmptyStringOfAtMost200Characters() {
        assertThatThrownBy(() -> Names.requireEvent("")).isInstanceOf(RoomsException.class);
        assertThatThrownBy(() -> Names.requireEvent(7)).isInstanceOf(RoomsException.class);
        assertThatThrownBy(() -> Names.requireEvent(null)).isInstanceOf(RoomsException.class);
        assertThatThrownBy(() -> Names.requireEvent("e".repeat(201))).isInstanceOf(RoomsException.class);
        assertThat(Names.requireEvent("e".repeat(200))).hasSize(200);
    }

    @Test
    void hiddenRoomsCannotBeRoomNames() {
        String hidden = Names.presenceWatchers("chat");
        assertThat(Names.isHidden(hidden)).isTrue();
        assertThat(Names.isValidRoom(hidden)).isFalse();
        assertThat(Names.isHidden("chat")).isFalse();
    }
}
