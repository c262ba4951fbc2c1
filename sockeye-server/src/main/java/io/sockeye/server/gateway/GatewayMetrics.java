package io.sockeye.server.gateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The gateway's metrics, on the server's Prometheus registry (every family is listed in
 * {@code docs/operations.md}), with running totals per backend for the admin dashboard.
 *
 * <ul>
 *   <li>{@code sockeye_proxy_requests_total{kind, result}}: calls by outcome: {@code ok} (allowed or
 *       answered), {@code error} (the backend answered {@code {error}}) or {@code unavailable};</li>
 *   <li>{@code sockeye_proxy_request_duration_seconds{kind}}: time to the outcome, retries included;</li>
 *   <li>{@code sockeye_proxy_errors_total{kind, error}}: why calls were unavailable: {@code timeout},
 *       {@code connect}, {@code status}, {@code invalid_answer}, {@code too_large}, {@code overloaded};</li>
 *   <li>{@code sockeye_proxy_in_flight{kind}}; {@code sockeye_proxy_retries_total{kind}};</li>
 *   <li>{@code sockeye_proxy_headers_refused_total{kind}}: pass-through header values not forwarded (CR, LF
 *       or other control characters); {@code sockeye_proxy_grants_ignored_total}: connect-proxy grants
 *       outside {@code proxy.connect.rooms};</li>
 *   <li>{@code sockeye_forward_events_total{broker, result}} ({@code ok} or {@code failed}),
 *       {@code sockeye_forward_duration_seconds{broker}}, {@code sockeye_forward_errors_total{broker, error}}
 *       ({@code timeout}, {@code unavailable}, {@code refused}).</li>
 * </ul>
 */
public final class GatewayMetrics {

    /** Seconds: 1 ms to 30 s (backends answer in tens of milliseconds; timeouts are seconds). */
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    /** Totals of one backend (a proxy kind or a broker) for the dashboard. */
    private static final class Totals {
        final LongAdder calls = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    private final Counter requests;
    private final Histogram duration;
    private final Counter errors;
    private final Counter retries;
    private final Counter headersRefused;
    private final Counter grantsIgnored;
    private final Counter forwarded;
    private final Histogram forwardDuration;
    private final Counter forwardErrors;
    private final Map<String, IntSupplier> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();

    private GatewayMetrics(PrometheusRegistry registry) {
        requests = counter(registry, "sockeye_proxy_requests", "Proxy calls by kind and outcome (ok, error, unavailable)", "kind", "result");
        duration = Histogram.builder().name("sockeye_proxy_request_duration_seconds")
                .help("Time from a proxy call to its outcome, retries included, by kind").labelNames("kind")
                .classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(registry);
        errors = counter(registry, "sockeye_proxy_errors", "Proxy calls answered unavailable, by kind and error", "kind", "error");
        retries = counter(registry, "sockeye_proxy_retries", "Idempotent proxy calls sent again, by kind", "kind");
        headersRefused = counter(registry, "sockeye_proxy_headers_refused",
                "Pass-through header values not forwarded to a proxy (control characters), by kind", "kind");
        grantsIgnored = counter(registry, "sockeye_proxy_grants_ignored",
                "Room grants of connect-proxy answers outside proxy.connect.rooms, ignored");
        GaugeWithCallback.builder().name("sockeye_proxy_in_flight").help("Proxy calls in flight, by kind")
                .labelNames("kind").callback(cb -> inFlight.forEach((kind, n) -> cb.call(n.getAsInt(), kind)))
                .register(registry);
        forwarded = counter(registry, "sockeye_forward_events", "Client events forwarded to a broker, by broker and result (ok, failed)",
                "broker", "result");
        forwardDuration = Histogram.builder().name("sockeye_forward_duration_seconds")
                .help("Time from forwarding a client event to the broker's acknowledgement, by broker").labelNames("broker")
                .classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(registry);
        forwardErrors = counter(registry, "sockeye_forward_errors", "Forwarded client events the broker did not acknowledge, by broker and error",
                "broker", "error");
    }

    private static Counter counter(PrometheusRegistry registry, String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    /** Registers the families on {@code registry} (once per registry). */
    public static GatewayMetrics register(PrometheusRegistry registry) {
        return new GatewayMetrics(registry);
    }

    /** Metrics kept on a private registry nobody scrapes (tests, embedding without Prometheus). */
    public static GatewayMetrics unexported() {
        return new GatewayMetrics(new PrometheusRegistry());
    }

    // ---- proxies ------------------------------------------------------------------------------

    public void inFlight(String kind, IntSupplier calls) {
        inFlight.put(kind, calls);
    }

    /** A call's outcome: {@code ok}, {@code error} or {@code unavailable}. */
    public void proxied(String kind, String result, long nanos) {
        requests.labelValues(kind, result).inc();
        duration.labelValues(kind).observe(nanos / 1e9);
        Totals t = totals("proxy " + kind);
        t.calls.increment();
        t.nanos.add(nanos);
        if (!result.equals("ok")) {
            t.failures.increment();
        }
    }

    public void proxyError(String kind, String error) {
        errors.labelValues(kind, error).inc();
    }

    public void retried(String kind) {
        retries.labelValues(kind).inc();
    }

    public void headerRefused(String kind) {
        headersRefused.labelValues(kind).inc();
    }

    public void grantIgnored() {
        grantsIgnored.inc();
    }

    // ---- forwarding ---------------------------------------------------------------------------

    public void forwarded(String broker, boolean ok, long nanos) {
        forwarded.labelValues(broker, ok ? "ok" : "failed").inc();
        forwardDuration.labelValues(broker).observe(nanos / 1e9);
        Totals t = totals("forward " + broker);
        t.calls.increment();
        t.nanos.add(nanos);
        if (!ok) {
            t.failures.increment();
        }
    }

    public void forwardError(String broker, String error) {
        forwardErrors.labelValues(broker, error).inc();
    }

    private Totals totals(String backend) {
        return totals.computeIfAbsent(backend, b -> new Totals());
    }

    /**
     * One row per backend used so far, sorted: {@code {backend, calls, failures, meanMillis, inFlight}} (the
     * dashboard turns successive totals into rates).
     */
    public List<Map<String, Object>> snapshot() {
        List<Map<String, Object>> rows = new ArrayList<>();
        totals.keySet().stream().sorted().forEach(backend -> {
            Totals t = totals.get(backend);
            long calls = t.calls.sum();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("backend", backend);
            row.put("calls", calls);
            row.put("failures", t.failures.sum());
            row.put("meanMillis", calls == 0 ? 0 : Math.round(t.nanos.sum() / 1e4 / calls) / 100.0);
            IntSupplier n = backend.startsWith("proxy ") ? inFlight.get(backend.substring(6)) : null;
            row.put("inFlight", n == null ? 0 : n.getAsInt());
            rows.add(row);
        });
        return rows;
    }
}
