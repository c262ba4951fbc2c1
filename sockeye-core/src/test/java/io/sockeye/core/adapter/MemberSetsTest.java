package io.sockeye.core.adapter;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class MemberSetsTest {

    @Test
    void staysImmutableUpToTheSmallSizeThenTurnsConcurrent() {
        Set<String> set = null;
        for (int i = 0; i < MemberSets.SMALL; i++) {
            set = MemberSets.plus(set, "m" + i);
            assertThat(set).hasSize(i + 1).isNotInstanceOf(ConcurrentHashMap.KeySetView.class);
        }
        set = MemberSets.plus(set, "m" + MemberSets.SMALL);
        assertThat(set).hasSize(MemberSets.SMALL + 1).isInstanceOf(ConcurrentHashMap.KeySetView.class);
    }

    @Test
    void addingAMemberTwiceKeepsTheSameSet() {
        Set<String> set = MemberSets.plus(MemberSets.plus(null, "a"), "b");
        assertThat(MemberSets.plus(set, "a")).isSameAs(set);
    }

    @Test
    void removingTheLastMemberGivesNullInBothShapes() {
        Set<String> small = MemberSets.plus(null, "a");
        assertThat(MemberSets.minus(small, "b")).isSameAs(small);
        assertThat(MemberSets.minus(small, "a")).isNull();

        Set<String> large = null;
        for (int i = 0; i <= MemberSets.SMALL; i++) {
            large = MemberSets.plus(large, "m" + i);
        }
        for (int i = 0; i < MemberSets.SMALL; i++) {
            large = MemberSets.minus(large, "m" + i);
            assertThat(large).doesNotContain("m" + i);
        }
        assertThat(MemberSets.minus(large, "m" + MemberSets.SMALL)).isNull();
    }
}
