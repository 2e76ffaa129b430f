package dev.lockstep.salesforce.client.http;

import dev.lockstep.salesforce.client.ErrorCategory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters the connectors read and publish: API calls by kind ({@code rest.query}, {@code bulk.ingest}, ...),
 * retries, re-logins and failures by category. Thread-safe, cheap on the hot path. The recording methods are
 * public so the streaming transports (Pub/Sub, CometD) in their own packages count into the same place.
 */
public final class ClientMetrics {

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<ErrorCategory, LongAdder> failures = new ConcurrentHashMap<>();
    private final LongAdder retries = new LongAdder();
    private final LongAdder relogins = new LongAdder();

    public void call(String kind) {
        calls.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public void retry() {
        retries.increment();
    }

    public void relogin() {
        relogins.increment();
    }

    public void failure(ErrorCategory category) {
        failures.computeIfAbsent(category, k -> new LongAdder()).increment();
    }

    /** HTTP calls sent, by kind; retries and replays after a re-login count as calls too. */
    public Map<String, Long> calls() {
        Map<String, Long> snapshot = new TreeMap<>();
        calls.forEach((k, v) -> snapshot.put(k, v.sum()));
        return snapshot;
    }

    public long calls(String kind) {
        LongAdder adder = calls.get(kind);
        return adder == null ? 0 : adder.sum();
    }

    public long retries() {
        return retries.sum();
    }

    /** Calls replayed after their session was renewed. */
    public long relogins() {
        return relogins.sum();
    }

    /** Calls that failed for good, by category. */
    public long failures(ErrorCategory category) {
        LongAdder adder = failures.get(category);
        return adder == null ? 0 : adder.sum();
    }
}
