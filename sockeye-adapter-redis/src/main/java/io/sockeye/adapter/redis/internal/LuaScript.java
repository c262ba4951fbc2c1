package io.sockeye.adapter.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * A Lua script kept as a resource next to this class, run by {@code EVALSHA} and loaded by {@code EVAL}
 * when Redis does not know it (a restarted or flushed Redis, another shard of a cluster), so that a
 * broadcast does not send the script's text each time. {@link #run} retries out of order, which suits
 * reads; calls that must run in the order they were made go through an {@link OrderedScript}.
 */
final class LuaScript {

    private final String name;
    private final String body;
    private final String sha;

    private LuaScript(String name, String body) {
        this.name = name;
        this.body = body;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /** The script {@code <name>.lua} of this package. */
    static LuaScript load(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script " + name + ".lua");
            }
            return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the script on the bus's command connection; {@code what} says what fails if it does. */
    <T> CompletableFuture<T> run(RedisBus bus, String what, ScriptOutputType type, byte[][] keys, byte[]... args) {
        return bus.<T>execute(what, c -> c.evalsha(sha, type, keys, args))
                .exceptionallyCompose(error -> noScript(error)
                        ? bus.<T>execute(what, c -> c.eval(body, type, keys, args))
                        : CompletableFuture.failedFuture(error));
    }

    String sha() {
        return sha;
    }

    String body() {
        return body;
    }

    /** Whether {@code error} is Redis's {@code NOSCRIPT} answer: it does not know the script's SHA. */
    static boolean noScript(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RedisNoScriptException || (t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return name + ".lua";
    }
}
