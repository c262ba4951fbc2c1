package io.sockeye.tests.server;

import io.sockeye.server.SockeyeApplication;
import io.sockeye.server.config.ConfigLoader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The standalone server as {@code bin/sockeye} runs it ({@link SockeyeApplication} built from
 * command-line flags), started in this JVM on 127.0.0.1 and a free port. Tests add the flags they
 * need; the HTTP API key is always {@link #API_KEY}.
 */
final class ServerUnderTest implements AutoCloseable {

    /** HS256 secret for {@link #withJwt(String...)} servers (at least 32 bytes, as the verifier requires). */
    static final String SECRET = "sockeye-end-to-end-secret-0123456789";
    static final String API_KEY = "e2e-api-key";

    private final SockeyeApplication app;

    private ServerUnderTest(SockeyeApplication app) {
        this.app = app;
    }

    /** A server started with {@code flags} (plus host, port 0 and the API key). */
    static ServerUnderTest start(String... flags) {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0", "--api-key", API_KEY, "--warmup=false"));
        args.addAll(Arrays.asList(flags));
        return new ServerUnderTest(SockeyeApplication.start(ConfigLoader.load(args.toArray(String[]::new))));
    }

    /** A server verifying HS256 tokens signed with {@link #SECRET}; anonymous access off. */
    static ServerUnderTest withJwt(String... flags) {
        List<String> args = new ArrayList<>(List.of("--jwt-secret", SECRET));
        args.addAll(Arrays.asList(flags));
        return start(args.toArray(String[]::new));
    }

    String url() {
        return "http://127.0.0.1:" + app.port();
    }

    SockeyeApplication app() {
        return app;
    }

    @Override
    public void close() {
        app.close();
    }
}
