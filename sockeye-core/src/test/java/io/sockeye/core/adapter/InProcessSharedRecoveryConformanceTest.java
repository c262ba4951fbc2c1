package io.sockeye.core.adapter;

/**
 * The in-process bus with a shared recovery stream and session store per namespace: the reference of
 * what a Redis-backed shared store must pass (R101–R108 in shared mode), on top of the whole kit.
 */
class InProcessSharedRecoveryConformanceTest extends AdapterConformanceKit {

    @Override
    protected ClusterNodeFactory nodes() {
        return new InProcessClusterAdapterConformanceTest.InProcessNodes(InProcessBus.withSharedRecovery(),
                ClusterNodeFactory.RecoveryMode.SHARED);
    }
}
