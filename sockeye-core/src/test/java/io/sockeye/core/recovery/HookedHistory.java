package io.sockeye.core.recovery;

import io.sockeye.protocol.socket.EncodedPacket;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A {@link LocalHistory} that runs a one-shot hook right before or right after a read: makes the race
 * between a recovery's history read and live traffic deterministic (publish inside the hook).
 */
public final class HookedHistory implements LocalHistory {

    private final LocalHistory delegate;
    private final AtomicReference<Runnable> beforeRead = new AtomicReference<>();
    private final AtomicReference<Runnable> afterRead = new AtomicReference<>();

    public HookedHistory(LocalHistory delegate) {
        this.delegate = delegate;
    }

    /** {@link RecoveryBackend#inMemory} with its history wrapped; the main namespace's is handed to {@code created}. */
    public static RecoveryBackend backend(RecoveryContext context, AtomicReference<HookedHistory> created) {
        RecoveryBackend stores = RecoveryBackend.inMemory(context);
        HookedHistory hooked = new HookedHistory(stores.localHistory());
        if (context.namespace().equals("/")) {
            created.set(hooked);
        }
        return RecoveryBackend.nodeLocal(hooked, stores.sessions());
    }

    /** Runs {@code hook} once, on the reading thread, before the next read looks at the history. */
    public void beforeNextRead(Runnable hook) {
        beforeRead.set(hook);
    }

    /** Runs {@code hook} once, on the reading thread, after the next read took its snapshot. */
    public void afterNextRead(Runnable hook) {
        afterRead.set(hook);
    }

    @Override
    public HistoryEntry append(Set<String> rooms, Set<String> except, boolean keep,
                               Function<StreamPosition, EncodedPacket> encode) {
        return delegate.append(rooms, except, keep, encode);
    }

    @Override
    public StreamPosition head() {
        return delegate.head();
    }

    @Override
    public OffsetFormat offsetFormat() {
        return delegate.offsetFormat();
    }

    @Override
    public CompletableFuture<HistoryRead> read(HistoryQuery query) {
        run(beforeRead);
        CompletableFuture<HistoryRead> read = delegate.read(query);
        run(afterRead);
        return read;
    }

    private static void run(AtomicReference<Runnable> hook) {
        Runnable once = hook.getAndSet(null);
        if (once != null) {
            once.run();
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
