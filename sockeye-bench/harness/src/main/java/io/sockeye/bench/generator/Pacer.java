package io.sockeye.bench.generator;

import java.util.concurrent.TimeUnit;

/** Writes the messages due every millisecond and flushes once per tick. */
final class Pacer implements Runnable {
    final java.util.concurrent.CompletableFuture<Long> done = new java.util.concurrent.CompletableFuture<>();
    private final LoadConnection connection;
    private final double intervalNanos;
    private final long total;
    private final Payloads payloads;
    private final int burst;
    private long startNanos;
    private long startEpoch;
    private long sent;
    private java.util.concurrent.ScheduledFuture<?> task;

    Pacer(LoadConnection connection, double rate, long total, Payloads payloads, int burst) {
        this.connection = connection;
        this.intervalNanos = 1e9 / rate;
        this.total = total;
        this.payloads = payloads;
        this.burst = burst;
    }

    void start() {
        startNanos = System.nanoTime();
        startEpoch = EpochClock.nanos();
        task = connection.channel().eventLoop().scheduleAtFixedRate(this, 0, 1, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        if (!connection.channel().isActive()) {
            task.cancel(false);
            done.completeExceptionally(new IllegalStateException("publisher connection closed"));
            return;
        }
        // Whole bursts: the burst containing the message due now is sent complete.
        long dueBursts = (long) ((System.nanoTime() - startNanos) / (intervalNanos * burst)) + 1;
        long due = Math.min(total, dueBursts * burst);
        while (sent < due) {
            long intended = sent / burst * burst;
            connection.writePublish(payloads, startEpoch + (long) (intended * intervalNanos));
            sent++;
        }
        connection.channel().flush();
        if (sent >= total) {
            task.cancel(false);
            done.complete(sent);
        }
    }
}
