package io.sockeye.core.engine;

import java.util.function.Consumer;

/** An {@link EngineListener} that only reports close reasons, for tests about how sessions end. */
final class CloseRecorder implements EngineListener {

    private final Consumer<String> closes;

    CloseRecorder(Consumer<String> closes) {
        this.closes = closes;
    }

    @Override
    public void onMessage(String text) {
    }

    @Override
    public void onBinary(byte[] data) {
    }

    @Override
    public void onClose(String reason) {
        closes.accept(reason);
    }
}
