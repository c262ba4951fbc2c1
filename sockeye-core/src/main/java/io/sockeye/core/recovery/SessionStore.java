package io.sockeye.core.recovery;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Where the {@link SessionRecord}s of one namespace live between a disconnect and the client's return.
 *
 * <p>Obligations of an implementation:
 * <ol>
 *   <li><b>Threading.</b> Thread-safe; no method blocks: each starts its I/O and completes the future
 *       later, on any thread.</li>
 *   <li><b>Single-use claim.</b> {@link #claim} is atomic: of any number of concurrent claims of one
 *       pid, exactly one gets the record, which is removed by the same step (Redis: {@code GETDEL} or
 *       a script). A record past its expiry is never claimed.</li>
 *   <li><b>Ownership.</b> {@link #update} and {@link #delete} act only on a record with the same
 *       {@code incarnation}; {@link #save} writes unconditionally (a new socket, or the socket a claim
 *       restored).</li>
 *   <li><b>Expiry.</b> A write with a {@code ttl} makes the record unclaimable once the ttl passed; with
 *       {@code null} it does not expire (a node-local store, whose records die with the node, while the
 *       socket is connected). {@link #touch} extends the expiry of existing records.</li>
 *   <li><b>Namespace.</b> A store shared by several namespaces claims only records of its own
 *       namespace, and leaves others in place.</li>
 *   <li><b>Failure.</b> A failed operation completes exceptionally; the Socket.IO layer then answers
 *       {@code recovered:false} (claim) or logs (writes). Nothing is retried silently.</li>
 * </ol>
 */
public interface SessionStore {

    /** Writes {@code record}, replacing any record with its pid. */
    CompletableFuture<Void> save(SessionRecord record, Duration ttl);

    /** Replaces the record with {@code record.pid()} if it has {@code record.incarnation()}; true if it did. */
    CompletableFuture<Boolean> update(SessionRecord record, Duration ttl);

    /** Removes and returns the record of {@code pid}, atomically. */
    CompletableFuture<SessionClaim> claim(String pid);

    /** Removes the record of {@code pid} if it has {@code incarnation}; true if it did. */
    CompletableFuture<Boolean> delete(String pid, String incarnation);

    /** Extends the expiry of the existing records of {@code pids} to {@code ttl} from now. */
    CompletableFuture<Void> touch(Collection<String> pids, Duration ttl);

    /** Releases the store's resources. Idempotent. */
    default void close() {
    }
}
