package io.sockeye.server.rooms;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PresenceTrackerTest {

    private final PresenceTracker tracker = new PresenceTracker();

    @Test
    void reportsAUsersFirstJoinAndLastLeaveOnly() {
        assertThat(tracker.join("chat", "alice")).isTrue();
        assertThat(tracker.join("chat", "alice")).isFalse();
        assertThat(tracker.join("chat", "bob")).isTrue();

        assertThat(tracker.leave("chat", "alice")).isFalse();
        assertThat(tracker.leave("chat", "alice")).isTrue();
        assertThat(tracker.localCount("chat")).isEqualTo(1);
    }

    @Test
    void anonymousConnectionsCountButNeverJoinOrLeaveAsUsers() {
        assertThat(tracker.join("chat", null)).isFalse();
        assertThat(tracker.join("chat", null)).isFalse();
        assertThat(tracker.localCount("chat")).isEqualTo(2);
        assertThat(tracker.leave("chat", null)).isFalse();
    }

    @Test
    void forgetsARoomWhenItsLastConnectionLeaves() {
        tracker.join("a", "alice");
        tracker.join("b", null);
        assertThat(tracker.roomCount()).isEqualTo(2);
        tracker.leave("a", "alice");
        tracker.leave("b", null);
        assertThat(tracker.roomCount()).isZero();
        assertThat(tracker.localCount("a")).isZero();
        assertThat(tracker.leave("a", "alice")).as("leaving an unknown room").isFalse();
    }
}
