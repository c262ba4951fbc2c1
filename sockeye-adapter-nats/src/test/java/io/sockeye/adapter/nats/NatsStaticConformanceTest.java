package io.sockeye.adapter.nats;

import io.sockeye.core.adapter.AdapterConformanceKit;
import io.sockeye.core.adapter.ClusterNodeFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The core's adapter conformance kit against a real nats-server, static subscriptions. */
class NatsStaticConformanceTest extends AdapterConformanceKit {

    private static NatsServer server;

    @BeforeAll
    static void startNats() {
        server = NatsServer.start();
    }

    @AfterAll
    static void stopNats() {
        server.close();
    }

    @Override
    protected ClusterNodeFactory nodes() {
        return new NatsNodes(server.url(), SubscriptionMode.STATIC);
    }
}
