package dev.lockstep.it.bench;

import dev.lockstep.it.harness.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time the Postgres server spent between {@link #start} and {@link #seconds}: its postmaster and every process
 * under it (backends, WAL writer, checkpointer, autovacuum), which run outside the benchmark's JVM and so escape
 * {@link CpuUse}. The postmaster is found as the parent of a backend of the benchmark's own connection, so it works
 * for the embedded server (any server on this machine run by the same user); elsewhere it measures nothing and
 * says so. Processes that ended in between (short-lived connections) are not counted.
 */
final class PostgresCpu {

    private final ProcessHandle postmaster;
    private final Map<Long, Duration> start = new HashMap<>();

    private PostgresCpu(ProcessHandle postmaster) {
        this.postmaster = postmaster;
        if (postmaster != null) {
            usage().forEach(start::put);
        }
    }

    static PostgresCpu start(PostgresExtension postgres) throws SQLException {
        try (Connection c = postgres.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return new PostgresCpu(ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).orElse(null));
        }
    }

    /** CPU seconds since {@link #start}, or -1 when the server's processes cannot be seen from here. */
    double seconds() {
        if (postmaster == null) {
            return -1;
        }
        long nanos = 0;
        for (Map.Entry<Long, Duration> now : usage().entrySet()) {
            nanos += now.getValue().minus(start.getOrDefault(now.getKey(), Duration.ZERO)).toNanos();
        }
        return nanos / 1e9;
    }

    /** As a phrase for a result line. */
    String describe() {
        double seconds = seconds();
        return seconds < 0 ? "Postgres server CPU not measurable (not a local process)"
                : String.format("Postgres server processes %.1f s", seconds);
    }

    private Map<Long, Duration> usage() {
        Map<Long, Duration> usage = new HashMap<>();
        cpu(postmaster).ifPresent(d -> usage.put(postmaster.pid(), d));
        postmaster.descendants().forEach(p -> cpu(p).ifPresent(d -> usage.put(p.pid(), d)));
        return usage;
    }

    private static Optional<Duration> cpu(ProcessHandle process) {
        return process.info().totalCpuDuration();
    }
}
