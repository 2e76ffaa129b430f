package dev.lockstep.emulator.control;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Requests answered, by API kind ({@code rest.query}, {@code bulk.ingest}, {@code oauth}, ...). */
public final class Counters {

    private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();

    public void increment(String kind) {
        byKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** How many requests of {@code kind} (or of every kind under it, e.g. {@code rest}) were answered. */
    public long get(String kindOrPrefix) {
        return byKind.entrySet().stream()
                .filter(e -> e.getKey().equals(kindOrPrefix) || e.getKey().startsWith(kindOrPrefix + "."))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        byKind.forEach((k, v) -> snapshot.put(k, v.sum()));
        return snapshot;
    }

    public void reset() {
        byKind.clear();
    }
}
