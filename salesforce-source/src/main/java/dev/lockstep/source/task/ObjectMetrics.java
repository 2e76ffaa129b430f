package dev.lockstep.source.task;

import dev.lockstep.salesforce.client.http.ClientMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * What one object's reader did, for operators: records by operation, lag from Salesforce commit to hand-over,
 * snapshot progress, API calls, blob downloads, retries, errors and the last replay id. Registered as Kafka plugin metrics (group
 * {@code plugins}, tags {@code connector}, {@code task}, {@code object}), so they appear in the worker's JMX and
 * metrics reporters.
 *
 * <p>Thread contract: written by the object's reader thread, read by any thread (metrics reporters).
 */
public final class ObjectMetrics {

    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong creates = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong rereadMissing = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong blobDownloads = new AtomicLong();
    private final AtomicLong snapshotTotal = new AtomicLong();
    private final AtomicLong snapshotDone = new AtomicLong();
    private final AtomicLong lastCommitMillis = new AtomicLong(-1);
    private final AtomicLong lagMillis = new AtomicLong(-1);
    private final AtomicReference<String> phase = new AtomicReference<>("starting");
    private final AtomicReference<String> lastReplayId = new AtomicReference<>("");
    private final ClientMetrics calls;
    private final List<MetricName> registered = new ArrayList<>();
    private PluginMetrics plugin;

    ObjectMetrics(ClientMetrics calls) {
        this.calls = calls;
    }

    /** Registers the gauges; {@code plugin} may be null (no worker metrics, e.g. in unit tests). */
    void register(PluginMetrics pluginMetrics, String object) {
        this.plugin = pluginMetrics;
        if (pluginMetrics == null) {
            return;
        }
        Map<String, Supplier<Object>> gauges = new LinkedHashMap<>();
        gauges.put("records-read", reads::get);
        gauges.put("records-created", creates::get);
        gauges.put("records-updated", updates::get);
        gauges.put("records-deleted", deletes::get);
        gauges.put("record-errors", errors::get);
        gauges.put("retries", retries::get);
        gauges.put("reread-missing", rereadMissing::get);
        gauges.put("resyncs", resyncs::get);
        gauges.put("snapshot-total", snapshotTotal::get);
        gauges.put("snapshot-done", snapshotDone::get);
        gauges.put("lag-ms", lagMillis::get);
        gauges.put("last-commit-ms", lastCommitMillis::get);
        gauges.put("api-calls", this::apiCalls);
        gauges.put("blob-downloads", blobDownloads::get);
        gauges.put("phase", phase::get);
        gauges.put("last-replay-id", lastReplayId::get);
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("object", object);
        gauges.forEach((name, value) -> {
            MetricName metric = pluginMetrics.metricName(name, name.replace('-', ' ') + " of " + object, tags);
            pluginMetrics.addMetric(metric, (Gauge<Object>) (config, now) -> value.get());
            registered.add(metric);
        });
    }

    void unregister() {
        if (plugin != null) {
            registered.forEach(plugin::removeMetric);
            registered.clear();
        }
    }

    void emitted(String op, long commitMillis) {
        switch (op) {
            case "r" -> reads.incrementAndGet();
            case "c" -> creates.incrementAndGet();
            case "u" -> updates.incrementAndGet();
            case "d" -> deletes.incrementAndGet();
            default -> { }
        }
        if (commitMillis > 0) {
            lastCommitMillis.set(commitMillis);
            lagMillis.set(Math.max(0, System.currentTimeMillis() - commitMillis));
        }
    }

    void error() {
        errors.incrementAndGet();
    }

    void retry() {
        retries.incrementAndGet();
    }

    void rereadMissing() {
        rereadMissing.incrementAndGet();
    }

    void resync() {
        resyncs.incrementAndGet();
    }

    void blobDownloaded() {
        blobDownloads.incrementAndGet();
    }

    long blobDownloads() {
        return blobDownloads.get();
    }

    void snapshot(long done, long total) {
        snapshotDone.set(done);
        snapshotTotal.set(total);
    }

    void phase(String value) {
        phase.set(value);
    }

    void replayId(String base64) {
        lastReplayId.set(base64);
    }

    long apiCalls() {
        return calls.calls().values().stream().mapToLong(Long::longValue).sum();
    }

    long records(String op) {
        return switch (op) {
            case "r" -> reads.get();
            case "c" -> creates.get();
            case "u" -> updates.get();
            case "d" -> deletes.get();
            default -> 0;
        };
    }

    long errors() {
        return errors.get();
    }

    String phase() {
        return phase.get();
    }
}
