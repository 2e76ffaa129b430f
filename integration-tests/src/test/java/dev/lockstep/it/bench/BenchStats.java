package dev.lockstep.it.bench;

import java.util.Map;
import java.util.TreeMap;

/** The arithmetic the benchmarks share: percentiles of measured latencies and the API calls made during a run. */
final class BenchStats {

    private BenchStats() {}

    /** The {@code p}-th percentile (nearest rank) of ascending {@code sorted} values; 0 when there are none. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    /** What each counter gained between two snapshots of the emulator's request counters, leaving out zeros. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n != 0) {
                d.put(k, n);
            }
        });
        return d;
    }
}
