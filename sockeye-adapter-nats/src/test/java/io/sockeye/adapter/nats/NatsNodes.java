package io.sockeye.adapter.nats;

import io.sockeye.core.adapter.Adapter;
import io.sockeye.core.adapter.ClusterAdapterOptions;
import io.sockeye.core.adapter.ClusterNodeFactory;
import io.sockeye.core.adapter.NamespaceContext;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Nodes of one NATS cluster for the conformance kit: each adapter is a node with its own connection
 * (as in production), all under a subject prefix of their own so that tests never hear each other.
 * A kill closes the node's connection: no ADAPTER_CLOSE, nothing received or sent afterwards. In
 * dynamic mode joins wait for NATS to confirm the room subscription (see {@link SettledJoinsAdapter}).
 */
final class NatsNodes implements ClusterNodeFactory {

    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    private final String url;
    private final NatsAdapterOptions base;
    private final Map<Adapter, NatsAdapterFactory> factories = new ConcurrentHashMap<>();
    private final List<NatsAdapterFactory> opened = new CopyOnWriteArrayList<>();

    NatsNodes(String url, SubscriptionMode mode) {
        this.url = url;
        this.base = NatsAdapterOptions.builder()
                .subjectPrefix("test" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet())
                .subscriptionMode(mode)
                .reconnectWait(Duration.ofMillis(50), Duration.ofMillis(200))
                .build();
    }

    @Override
    public Adapter create(NamespaceContext namespace, ClusterAdapterOptions options) {
        NatsAdapterFactory factory = NatsAdapterFactory.connect(url, base.toBuilder().cluster(options).build());
        opened.add(factory);
        Adapter adapter = factory.create(namespace);
        if (base.subscriptionMode() == SubscriptionMode.DYNAMIC) {
            adapter = new SettledJoinsAdapter(adapter, factory.connection());
        }
        factories.put(adapter, factory);
        return adapter;
    }

    /** Connection state recovery in node-local mode, which every cluster adapter has without a shared store. */
    @Override
    public RecoveryMode recovery() {
        return RecoveryMode.NODE_LOCAL;
    }

    @Override
    public void kill(Adapter node) {
        try {
            factories.get(node).connection().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        opened.forEach(NatsAdapterFactory::close);
    }
}
