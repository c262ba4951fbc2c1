package io.sockeye.netty.internal;

import io.sockeye.netty.Transport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Which transport is chosen from what loads, with the availability of each one under the test's control. */
class TransportSelectionTest {

    private static Function<Transport, String> refusing(Set<Transport> refused) {
        return t -> refused.contains(t) ? t.configName() + " refused by the kernel" : null;
    }

    @Test
    void autoTakesEpollWhereItLoadsWithoutANote() {
        TransportSelection s = TransportSelection.select(Transport.AUTO, refusing(Set.of()));

        assertThat(s.transport()).isEqualTo(Transport.EPOLL);
        assertThat(s.fallbackNote()).isNull();
    }

    @Test
    void autoTakesNioWhereEpollDoesNotLoadWithoutANote() {
        TransportSelection s = TransportSelection.select(Transport.AUTO, refusing(Set.of(Transport.EPOLL, Transport.IO_URING)));

        assertThat(s.transport()).isEqualTo(Transport.NIO);
        assertThat(s.fallbackNote()).as("NIO is what auto means off Linux").isNull();
    }

    @Test
    void ioUringAskedForAndLoadingIsUsed() {
        TransportSelection s = TransportSelection.select(Transport.IO_URING, refusing(Set.of()));

        assertThat(s.transport()).isEqualTo(Transport.IO_URING);
        assertThat(s.fallbackNote()).isNull();
    }

    @Test
    void ioUringRefusedFallsBackToEpollWithOneNoteSayingWhy() {
        TransportSelection s = TransportSelection.select(Transport.IO_URING, refusing(Set.of(Transport.IO_URING)));

        assertThat(s.transport()).isEqualTo(Transport.EPOLL);
        assertThat(s.fallbackNote()).isEqualTo("transport io_uring is not available here"
                + " (io_uring: io_uring refused by the kernel); using epoll");
    }

    @Test
    void ioUringAndEpollRefusedFallBackToNioNamingBothCauses() {
        TransportSelection s = TransportSelection.select(Transport.IO_URING, refusing(Set.of(Transport.IO_URING, Transport.EPOLL)));

        assertThat(s.transport()).isEqualTo(Transport.NIO);
        assertThat(s.fallbackNote()).contains("io_uring: io_uring refused", "epoll: epoll refused").endsWith("using nio");
    }

    @Test
    void epollRefusedFallsBackToNioAndNeverTriesIoUring() {
        List<Transport> asked = new ArrayList<>();
        TransportSelection s = TransportSelection.select(Transport.EPOLL, t -> {
            asked.add(t);
            return "refused";
        });

        assertThat(s.transport()).isEqualTo(Transport.NIO);
        assertThat(asked).containsExactly(Transport.EPOLL);
        assertThat(s.fallbackNote()).startsWith("transport epoll is not available here");
    }

    @Test
    void nioRunsWithoutAskingAnything() {
        TransportSelection s = TransportSelection.select(Transport.NIO, t -> {
            throw new AssertionError("asked about " + t);
        });

        assertThat(s.transport()).isEqualTo(Transport.NIO);
        assertThat(s.fallbackNote()).isNull();
    }

    @Test
    void aLoadFailureIsDescribedByItsInnermostMessageOnOneLine() {
        Throwable cause = new IllegalStateException("outer", new UnsatisfiedLinkError("no netty_io_uring42\n in java.library.path"));

        assertThat(TransportSelection.describe(cause)).isEqualTo("no netty_io_uring42 in java.library.path");
    }
}
