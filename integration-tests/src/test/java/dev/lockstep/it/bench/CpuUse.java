package dev.lockstep.it.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time this JVM spent between {@link #start} and {@link #stop}, in all and by kind of thread (the connector's
 * reader, the Connect task thread that converts and sends, the producer's I/O, the broker, the emulator), so a
 * benchmark on a shared machine can say where the time went and how many records a CPU-second moves, whatever
 * else the machine was doing. Threads that ended in between are counted only in the total.
 *
 * <p>A benchmark running several connectors can name their task threads' kinds itself ({@link #start(Map)}), so
 * a source task and a sink task are counted apart.
 */
final class CpuUse {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final long processStart;
    private final long wallStart;
    private final Map<Long, Long> threadStart = new HashMap<>();
    private final Map<String, String> kindsByPrefix;
    private final Map<String, Double> byThread = new HashMap<>();

    private CpuUse(Map<String, String> kindsByPrefix) {
        this.kindsByPrefix = new LinkedHashMap<>(kindsByPrefix);
        processStart = processCpuNanos();
        wallStart = System.nanoTime();
        for (long id : THREADS.getAllThreadIds()) {
            threadStart.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
        }
    }

    static CpuUse start() {
        return new CpuUse(Map.of());
    }

    /**
     * Like {@link #start()}, with more kinds of thread: a thread whose name starts with a key of
     * {@code kindsByPrefix} is counted under its value (e.g. {@code "task-thread-load-postgres-"} → {@code "sink
     * task"}), before the usual kinds are looked at. The kinds are printed first, in the map's order.
     */
    static CpuUse start(Map<String, String> kindsByPrefix) {
        return new CpuUse(kindsByPrefix);
    }

    /** The process CPU time since start, in nanoseconds. */
    long processNanos() {
        return processCpuNanos() - processStart;
    }

    /** One line: wall time, process CPU, and CPU seconds by thread kind. */
    String stop() {
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double process = processNanos() / 1e9;
        Map<String, Double> byKind = new LinkedHashMap<>();
        kindsByPrefix.values().forEach(kind -> byKind.put(kind, 0.0));
        for (String kind : new String[] {"reader", "task", "producer I/O", "broker", "emulator", "other"}) {
            byKind.put(kind, 0.0);
        }
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long now = THREADS.getThreadCpuTime(info.getThreadId());
            if (now < 0) {
                continue;
            }
            double used = (now - threadStart.getOrDefault(info.getThreadId(), 0L)) / 1e9;
            byKind.merge(kind(info.getThreadName()), used, Double::sum);
            byThread.merge(info.getThreadName(), used, Double::sum);
        }
        StringBuilder line = new StringBuilder(String.format("CPU: %.1f s of process CPU in %.1f s (%.0f%% of %d"
                + " cores); by thread:", process, wall, 100 * process / wall / Runtime.getRuntime()
                        .availableProcessors(), Runtime.getRuntime().availableProcessors()));
        byKind.forEach((k, v) -> line.append(String.format(" %s %.1f s,", k, v)));
        // The JVM's own threads (garbage collection, JIT compilers) are invisible to ThreadMXBean.
        double threads = byKind.values().stream().mapToDouble(Double::doubleValue).sum();
        line.append(String.format(" GC, JIT and ended threads %.1f s", Math.max(0, process - threads)));
        return line.toString();
    }

    /** The {@code n} threads that used the most CPU until {@link #stop()}, e.g. {@code task-thread-x-0 12.3 s}. */
    String topThreads(int n) {
        StringBuilder line = new StringBuilder("busiest threads:");
        byThread.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(n)
                .forEach(e -> line.append(String.format(" %s %.1f s,", e.getKey(), e.getValue())));
        line.setLength(line.length() - 1);
        return line.toString();
    }

    private String kind(String thread) {
        for (Map.Entry<String, String> named : kindsByPrefix.entrySet()) {
            if (thread.startsWith(named.getKey())) {
                return named.getValue();
            }
        }
        if (thread.startsWith("lockstep-source-")) {
            return "reader";
        }
        if (thread.startsWith("task-thread-") || thread.matches("pool-\\d+-thread-\\d+")) {
            return "task";
        }
        if (thread.startsWith("kafka-producer-network-thread")) {
            return "producer I/O";
        }
        if (thread.startsWith("emulator-") || thread.startsWith("grpc-")) {
            return "emulator";
        }
        if (thread.startsWith("data-plane-") || thread.startsWith("kafka-") || thread.contains("raft")
                || thread.contains("controller") || thread.startsWith("log-") || thread.contains("coordinator")) {
            return "broker";
        }
        return "other";
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
