package io.sockeye.bench.peer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.bench.generator.Payloads;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.core.metrics.SockeyeMetrics;
import io.sockeye.core.recovery.HistoryBounds;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory per retained message: an embedded server with connection state recovery (a one-hour window, so
 * nothing ages out; the default history bounds) and no client, broadcasting {@code --messages} events of
 * the bench's usual {@code {room, t, p}} shape, {@code --payload} bytes of JSON each, spread over rooms so
 * the per-room bound keeps them all. Prints one line, {@code RETAINED <json>}: the heap after a full GC
 * before and after, per retained entry, next to the history's own estimate of an entry (what its memory
 * budget counts, from {@link SockeyeMetrics#historyAppended}), then exits. Run it with a fixed heap.
 */
public final class RetainedHeap {

    private static final int WARMUP = 2_000;

    private RetainedHeap() {
    }

    public static void main(String[] args) throws Exception {
        int messages = Integer.parseInt(PeerConsole.arg(args, "--messages", "10000"));
        int payload = Integer.parseInt(PeerConsole.arg(args, "--payload", "128"));
        Duration window = Duration.ofHours(1);
        int perRoom = HistoryBounds.defaults(window).maxEntriesPerRoom();
        int rooms = (messages + perRoom - 1) / perRoom;

        AtomicLong appended = new AtomicLong();
        AtomicLong appendedBytes = new AtomicLong();
        AtomicLong evicted = new AtomicLong();
        SockeyeMetrics metrics = new SockeyeMetrics() {
            @Override
            public void historyAppended(String namespace, long bytes) {
                appended.incrementAndGet();
                appendedBytes.addAndGet(bytes);
            }

            @Override
            public void historyEvicted(String namespace, long bytes, String reason) {
                evicted.incrementAndGet();
            }
        };
        SocketIoServer io = SocketIoServer.create(ServerOptions.builder()
                .connectionStateRecovery(window, true)
                .metrics(metrics)
                .build());
        ObjectMapper json = new ObjectMapper();

        // Warm-up in rooms of its own (class loading, the namespace's stream), kept like the rest.
        broadcast(io, json, "warm", (WARMUP + perRoom - 1) / perRoom, WARMUP, payload);
        long before = heapAfterGc();
        long appended0 = appended.get();
        long bytes0 = appendedBytes.get();
        long evicted0 = evicted.get();
        long frameBytes = broadcast(io, json, "r", rooms, messages, payload);
        long after = heapAfterGc();
        long entries = appended.get() - appended0;

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("messages", messages);
        out.put("payloadBytes", payload);
        out.put("rooms", rooms);
        out.put("entries", entries);
        out.put("evicted", evicted.get() - evicted0);
        out.put("heapBeforeBytes", before);
        out.put("heapAfterBytes", after);
        out.put("heapPerEntryBytes", entries == 0 ? -1 : (double) Math.round((after - before) * 10.0 / entries) / 10);
        out.put("estimatedPerEntryBytes", entries == 0 ? -1 : (double) Math.round((appendedBytes.get() - bytes0) * 10.0 / entries) / 10);
        out.put("payloadJsonBytes", frameBytes / Math.max(1, messages));
        out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        System.out.println("RETAINED " + json.writeValueAsString(out));
        System.out.flush();
        // The server is referenced until here, so its history cannot be collected before the second reading.
        io.close();
        System.exit(0);
    }

    /** Broadcasts {@code n} messages round-robin over {@code rooms} rooms; returns their JSON bytes in all. */
    private static long broadcast(SocketIoServer io, ObjectMapper json, String prefix, int rooms, int n, int payload)
            throws Exception {
        long bytes = 0;
        Payloads[] shapes = new Payloads[rooms];
        for (int i = 0; i < rooms; i++) {
            shapes[i] = new Payloads(prefix + "-" + i, payload);
        }
        for (int i = 0; i < n; i++) {
            int room = i % rooms;
            String text = shapes[room].json(System.nanoTime());
            bytes += text.length();
            // Decoded as the peer's publish handler gets it, then emitted: the server encodes it again.
            Object message = json.readValue(text, Map.class);
            io.to(prefix + "-" + room).emit("msg", message);
        }
        return bytes;
    }

    private static long heapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) { // until a further GC frees nothing more (finalizers, soft references)
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(used, now);
            }
            used = now;
        }
        return used;
    }
}
