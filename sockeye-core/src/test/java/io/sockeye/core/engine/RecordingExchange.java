package io.sockeye.core.engine;

import io.sockeye.core.spi.transport.EngineError;
import io.sockeye.core.spi.transport.HttpExchange;

import java.util.ArrayList;
import java.util.List;

/** An {@link HttpExchange} that records its one response. */
final class RecordingExchange implements HttpExchange {
    int status;
    String body;
    String cookieSid;
    final List<Runnable> abortHooks = new ArrayList<>();

    boolean responded() {
        return status != 0;
    }

    @Override
    public void sendPayload(String payload) {
        respond(200, payload);
    }

    @Override
    public void sendHandshake(String payload, String sid) {
        cookieSid = sid;
        respond(200, payload);
    }

    @Override
    public void sendOk() {
        respond(200, "ok");
    }

    @Override
    public void sendError(EngineError.Rejection rejection) {
        respond(rejection.httpStatus(), rejection.json());
    }

    @Override
    public void sendStatus(int status) {
        respond(status, "");
    }

    private void respond(int status, String body) {
        if (this.status != 0) {
            throw new AssertionError("responded twice: " + this.body + " then " + body);
        }
        this.status = status;
        this.body = body;
    }

    @Override
    public void whenAborted(Runnable onClose) {
        abortHooks.add(onClose);
    }

    void abort() {
        abortHooks.forEach(Runnable::run);
    }
}
