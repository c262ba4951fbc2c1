package io.sockeye.core.adapter;

/**
 * What a backend supplies to {@link AdapterConformanceKit}: adapters that form one cluster. Every
 * adapter created by one factory instance is a separate node of the same cluster (same bus, same key
 * prefix), so two adapters for the same namespace name see each other.
 */
public interface ClusterNodeFactory extends AutoCloseable {

    /**
     * A new, not yet initialised, adapter (one node) for {@code namespace}. Cluster adapters must
     * honour {@code options} (the kit shortens heartbeats and timeouts); others ignore them.
     */
    Adapter create(NamespaceContext namespace, ClusterAdapterOptions options);

    /** How many nodes the backend can form: 1 for a single-node adapter. */
    default int maxNodes() {
        return Integer.MAX_VALUE;
    }

    /**
     * Cuts {@code node} off abruptly, as a crash would: it must stop receiving and publishing, without
     * sending {@code ADAPTER_CLOSE} (e.g. drop its bus connection). The kit still calls
     * {@link Adapter#close()} on it afterwards.
     */
    void kill(Adapter node);

    /**
     * What connection state recovery the backend claims ({@link RecoveryConformanceKit}'s obligations
     * run for anything but {@link RecoveryMode#NONE}, and are skipped, saying so, for it).
     */
    default RecoveryMode recovery() {
        return RecoveryMode.NONE;
    }

    /** A backend's connection state recovery support, as it claims it. */
    enum RecoveryMode {
        /** No claim: the recovery obligations are skipped. */
        NONE,
        /** {@link io.sockeye.core.recovery.RecoveryBackend#nodeLocal}: each node has its own stream. */
        NODE_LOCAL,
        /** {@link io.sockeye.core.recovery.RecoveryBackend#shared}: one stream and one session store for the cluster. */
        SHARED
    }

    /** Releases the cluster (bus connections, servers started for the test). */
    @Override
    void close();
}
