package io.sockeye.adapter.redis.internal;

import io.lettuce.core.ScriptOutputType;
import io.sockeye.adapter.redis.RedisUnavailableException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A Lua script whose calls on one hash slot must run in Redis in the order they were made, such as the
 * one that gives each broadcast its position: retrying a call by {@code EVAL} from the {@code NOSCRIPT}
 * answer of its {@code EVALSHA} would run it after later calls already sent, so a later broadcast would
 * get a lower position.
 *
 * <p>Every call goes out on the bus's one pipelined connection, which Redis runs in sending order: by
 * {@code EVAL} while the script is not known to be loaded (which loads it for every call sent after),
 * by {@code EVALSHA} once it is. When Redis answers {@code NOSCRIPT} (it lost its scripts: restarted,
 * {@code SCRIPT FLUSH}, a failover), nothing more is sent until every call already sent has answered;
 * then the calls that failed so are sent again, in their order and the first by {@code EVAL}, followed
 * by the calls made meanwhile. A failed call that a later one overtook (the script came back through
 * another client, and the later call ran) can no longer run in order: it fails with
 * {@link RedisUnavailableException}, as a call does while Redis is unreachable.
 */
final class OrderedScript {

    private final LuaScript script;
    private final RedisBus bus;
    private final Object lock = new Object();
    private boolean loaded; // guarded by lock: a call was sent by EVAL since the last NOSCRIPT
    private int sent; // guarded by lock: calls sent and not answered yet
    private boolean halted; // guarded by lock: a NOSCRIPT came back and calls still owe their answer
    private boolean overtaken; // guarded by lock: since the halt, a call answered otherwise than NOSCRIPT
    private final List<Call<?>> failed = new ArrayList<>(); // guarded by lock: to send again, in order
    private final List<Call<?>> waiting = new ArrayList<>(); // guarded by lock: made while halted
    private long nextSent; // guarded by lock: the index of the next call sent
    private long nextAnswer; // guarded by lock: the index of the next answer to handle
    private final Map<Long, Answer> early = new HashMap<>(); // guarded by lock: answers ahead of nextAnswer

    OrderedScript(LuaScript script, RedisBus bus) {
        this.script = script;
        this.bus = bus;
    }

    /** Runs the script; {@code what} says what fails if it does. */
    <T> CompletableFuture<T> run(String what, ScriptOutputType type, byte[][] keys, byte[]... args) {
        Call<T> call = new Call<>(what, type, keys, args);
        List<Sending> out = new ArrayList<>(1);
        synchronized (lock) {
            if (halted) {
                waiting.add(call);
            } else {
                out.add(send(call));
            }
        }
        out.forEach(Sending::listen);
        return call.result;
    }

    /** Sends under the lock, so that the order of the pipeline is the order of the calls. */
    private Sending send(Call<?> call) {
        sent++;
        boolean byBody = !loaded;
        loaded = true;
        CompletableFuture<?> reply = byBody
                ? bus.execute(call.what, c -> c.eval(script.body(), call.type, call.keys, call.args))
                : bus.execute(call.what, c -> c.evalsha(script.sha(), call.type, call.keys, call.args));
        return new Sending(call, reply, nextSent++);
    }

    /**
     * Handles answers in sending order, which is Redis's answering order, though a listener attached to an
     * answer already there runs on the caller's thread, possibly before an earlier answer was handled.
     */
    private void answered(long index, Call<?> call, Object value, Throwable error) {
        List<Runnable> complete = new ArrayList<>();
        List<Sending> out = new ArrayList<>();
        synchronized (lock) {
            early.put(index, new Answer(call, value, error));
            for (Answer next = early.remove(nextAnswer); next != null; next = early.remove(nextAnswer)) {
                nextAnswer++;
                handle(next.call(), next.value(), next.error(), complete, out);
            }
        }
        complete.forEach(Runnable::run);
        out.forEach(Sending::listen);
    }

    /** Handles one answer under the lock; what completes callers or listens runs once it is released. */
    private void handle(Call<?> call, Object value, Throwable error, List<Runnable> complete, List<Sending> out) {
        sent--;
        if (LuaScript.noScript(error)) {
            loaded = false;
            halted = true;
            if (overtaken) {
                complete.add(call::failOvertaken);
            } else {
                failed.add(call);
            }
        } else {
            if (halted) {
                // This call ran (or may have) after the failed ones: sending those again would put them after it.
                overtaken = true;
                failed.forEach(f -> complete.add(f::failOvertaken));
                failed.clear();
            }
            complete.add(() -> call.complete(value, error));
        }
        if (halted && sent == 0) {
            halted = false;
            overtaken = false;
            List<Call<?>> again = new ArrayList<>(failed);
            again.addAll(waiting);
            failed.clear();
            waiting.clear();
            again.forEach(c -> out.add(send(c)));
        }
    }

    /** A call sent; its answer is listened to once the lock is released (a rejection completes at once). */
    private final class Sending {
        private final Call<?> call;
        private final CompletableFuture<?> reply;
        private final long index;

        Sending(Call<?> call, CompletableFuture<?> reply, long index) {
            this.call = call;
            this.reply = reply;
            this.index = index;
        }

        void listen() {
            reply.whenComplete((value, error) -> answered(index, call, value, error));
        }
    }

    private record Answer(Call<?> call, Object value, Throwable error) {
    }

    private static final class Call<T> {
        final String what;
        final ScriptOutputType type;
        final byte[][] keys;
        final byte[][] args;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Call(String what, ScriptOutputType type, byte[][] keys, byte[][] args) {
            this.what = what;
            this.type = type;
            this.keys = keys;
            this.args = args;
        }

        @SuppressWarnings("unchecked")
        void complete(Object value, Throwable error) {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete((T) value);
            }
        }

        void failOvertaken() {
            result.completeExceptionally(new RedisUnavailableException("Redis lost its scripts and a later call ran "
                    + "before this one could be sent again: " + what, null));
        }
    }
}
