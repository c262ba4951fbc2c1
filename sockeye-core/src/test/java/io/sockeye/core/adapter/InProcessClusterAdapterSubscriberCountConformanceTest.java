package io.sockeye.core.adapter;

/**
 * The in-process bus backend with heartbeats off, counting servers by bus subscribers: the path a
 * Redis backend using {@code PUBSUB NUMSUB} takes (requests wait for a number of responses).
 */
class InProcessClusterAdapterSubscriberCountConformanceTest extends AdapterConformanceKit {

    @Override
    protected ClusterNodeFactory nodes() {
        return new InProcessClusterAdapterConformanceTest.InProcessNodes();
    }

    @Override
    protected ClusterAdapterOptions options() {
        return super.options().withHeartbeat(null, null);
    }
}
