package io.sockeye.bench.soak;

import java.util.List;

/**
 * What the soak's client process does, per server node (every node gets the same load).
 *
 * @param host                loopback address of the servers
 * @param ports               public port of each node
 * @param apiKey              key of the HTTP API
 * @param seed                of every random choice (lifetimes, rooms, endings)
 * @param websocketClients    well-behaved WebSocket-only clients kept connected
 * @param pollingClients      well-behaved polling-only clients kept connected
 * @param upgradeClients      well-behaved clients that connect over polling and upgrade to WebSocket
 * @param bulkReaders         well-behaved WebSocket clients in the bulk room (they read everything)
 * @param residentClients     well-behaved clients that stay for the whole churn, half WebSocket, half polling
 * @param minLifetimeMs       shortest life of a well-behaved client; each is replaced when it ends
 * @param maxLifetimeMs       longest (uniform in between; bulk readers live five times as long)
 * @param minActionGapMs      shortest pause between a client's requests (publish, subscribe, unsubscribe, presence)
 * @param maxActionGapMs      longest pause
 * @param rooms               chat rooms the clients pick from
 * @param slowReaderEveryMs   a new slow reader (joins the bulk room, then stops reading) this often
 * @param minStallMs          shortest time a slow reader does not read
 * @param maxStallMs          longest
 * @param vanishEveryMs       a vanished session (alternately WebSocket and polling) this often
 * @param slowlorisEveryMs    a TCP connection that never completes a request this often
 * @param apiPublishesPerS    small HTTP API publishes to random chat rooms
 * @param bulkPublishesPerS   HTTP API publishes to the bulk room
 * @param bulkBytes           size of a bulk publish's data
 * @param requestTimeoutMs    a request not acknowledged in this time counts as an error
 */
public record ClientPlan(String host, List<Integer> ports, String apiKey, long seed,
                         int websocketClients, int pollingClients, int upgradeClients, int bulkReaders,
                         int residentClients, long minLifetimeMs, long maxLifetimeMs, long minActionGapMs, long maxActionGapMs, int rooms,
                         long slowReaderEveryMs, long minStallMs, long maxStallMs,
                         long vanishEveryMs, long slowlorisEveryMs,
                         double apiPublishesPerS, double bulkPublishesPerS, int bulkBytes, long requestTimeoutMs) {

    public ClientPlan {
        ports = List.copyOf(ports);
        if (ports.isEmpty() || minLifetimeMs <= 0 || maxLifetimeMs < minLifetimeMs || minStallMs <= 0
                || maxStallMs < minStallMs || minActionGapMs <= 0 || maxActionGapMs < minActionGapMs || rooms < 1) {
            throw new IllegalArgumentException("bad soak client plan");
        }
    }

    /** The one room every bulk publish goes to, and every slow reader and bulk reader joins. */
    public static final String BULK_ROOM = "bulk";
}
