package io.sockeye.server.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The process's own metrics beside the server's: readiness, version, Netty's memory and the JVM's. */
final class RuntimeMetrics {

    private RuntimeMetrics() {
    }

    static void register(PrometheusRegistry registry, PrometheusMetricsBuilder b) {
        Readiness readiness = b.readiness;
        if (readiness != null) {
            GaugeWithCallback.builder().name("sockeye_ready")
                    .help("1 while this node accepts new connections (GET /readyz answers 200), else 0")
                    .callback(cb -> cb.call(readiness.ready() ? 1 : 0)).register(registry);
        }
        if (b.version != null) {
            GaugeWithCallback.builder().name("sockeye_info").help("Always 1; the version is a label")
                    .labelNames("version").callback(cb -> cb.call(1, b.version)).register(registry);
        }
        if (b.nettyMemory) {
            NettyMemoryMetrics.register(registry);
        }
        if (b.jvm) {
            JvmMetrics.builder().register(registry);
        }
    }
}
