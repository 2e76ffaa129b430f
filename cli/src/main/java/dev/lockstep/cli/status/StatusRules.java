package dev.lockstep.cli.status;

import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.reconcile.ValueComparison;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * How {@code lockstep status} judges a mapping from what it measured, and how it measures lag. Kept apart from the
 * collecting so the rules can be read (and tested) in one place.
 */
public final class StatusRules {

    /** Connector and task states that clear up by themselves. */
    private static final Set<String> TRANSIENT = Set.of("UNASSIGNED", "RESTARTING");

    private StatusRules() {
    }

    /**
     * What was measured about one mapping; null parts were not measured.
     *
     * @param connectReached whether Connect answered (connector states are unknown otherwise)
     * @param tableExists whether the table exists (null when Postgres was not reached)
     * @param deadLetters this mapping's records in the dead-letter topic within the window
     * @param sourceErrors records of this object the source could not convert within the window
     * @param failedRows rows with {@code _hc_lastop = 'FAILED'}
     */
    public record Facts(Mapping mapping, boolean connectReached, StatusReport.Connector source,
            StatusReport.Connector sink, StatusReport.Progress progress, Boolean tableExists,
            StatusReport.Counts counts, StatusReport.Lag lag, long deadLetters, long sourceErrors, Long failedRows,
            Duration maxLag) {
    }

    /** A mapping's health and the problems behind it. */
    public record Judgement(Health health, List<String> problems) {
    }

    /** Judges one mapping. */
    public static Judgement judge(Facts f) {
        Verdict v = new Verdict();
        if (f.connectReached()) {
            connector(v, "source", f.source(), f.mapping().objectName());
            connector(v, "sink", f.sink(), f.mapping().objectName());
            progress(v, f);
        } else {
            v.unknown();
        }
        if (Boolean.FALSE.equals(f.tableExists())) {
            v.failed("table " + f.mapping().qualifiedTable() + " does not exist: deploy the mapping file");
        }
        StatusReport.Counts c = f.counts();
        if (c.salesforce() != null && c.live() != null && !c.salesforce().equals(c.live())) {
            v.behind("Salesforce has " + c.salesforce() + " records, " + f.mapping().qualifiedTable() + " "
                    + c.live() + " live rows; if this stays, run lockstep reconcile");
        }
        StatusReport.Lag lag = f.lag();
        if (lag != null && lag.lag() != null) {
            Duration allowed = f.maxLag().plusSeconds(f.mapping().syncMode() == Mapping.SyncMode.POLL
                    ? f.mapping().pollingSeconds() : 0);
            if (lag.lag().compareTo(allowed) > 0) {
                v.behind("behind Salesforce by " + human(lag.lag()) + " (the oldest change not in the table), more"
                        + " than the " + human(allowed) + " allowed");
            }
        }
        if (f.deadLetters() > 0) {
            v.failed(f.deadLetters() + " record(s) of this mapping in the dead-letter topic: fix the value in"
                    + " Salesforce or widen the column; the row keeps its last good value meanwhile");
        }
        if (f.sourceErrors() > 0) {
            v.failed(f.sourceErrors() + " record(s) the source could not convert (error topic)");
        }
        if (f.failedRows() != null && f.failedRows() > 0) {
            v.failed(f.failedRows() + " row(s) with _hc_lastop = 'FAILED' (see _hc_err)");
        }
        return new Judgement(v.health, v.problems);
    }

    /**
     * Judges the source's phase. Offsets change only when records are sent, so an object that has not changed since
     * its snapshot keeps its last snapshot or re-sync offset: when Salesforce was measured and the table has caught
     * up (equal counts, lag within bounds), the offset is taken as stale, not as work in progress.
     */
    private static void progress(Verdict v, Facts f) {
        StatusReport.Progress p = f.progress();
        if (p == null || caughtUp(f)) {
            return;
        }
        if (p.phase().equals("snapshot") && (p.done() == null || p.total() == null || p.done() < p.total())) {
            v.behind("snapshot in progress" + (p.done() != null && p.total() != null
                    ? " (" + p.done() + " of " + p.total() + " records)" : ""));
        } else if (p.phase().equals(StatusReport.Progress.NOT_STARTED)) {
            v.behind("the source has stored no position for " + f.mapping().objectName() + " yet: it has not read"
                    + " it");
        }
    }

    /** Whether Salesforce was measured and the table holds as many live rows, without lag. */
    private static boolean caughtUp(Facts f) {
        StatusReport.Counts c = f.counts();
        return c.salesforce() != null && c.salesforce().equals(c.live()) && f.lag() != null && f.lag().lag() != null
                && f.lag().lag().compareTo(f.maxLag()) <= 0;
    }

    private static void connector(Verdict v, String role, StatusReport.Connector connector, String object) {
        if (connector == null) {
            v.failed("no " + role + " connector of this deployment reads " + object + "; deploy the mapping file");
            return;
        }
        String name = role + " " + connector.name();
        switch (connector.state()) {
            case "RUNNING" -> {
                if (connector.tasks().isEmpty()) {
                    v.behind(name + " has no tasks yet");
                }
            }
            case StatusReport.Connector.MISSING -> v.failed(name + " is not deployed (lockstep deploy)");
            case "PAUSED", "STOPPED" -> v.failed(name + " is " + connector.state() + " (resume it: PUT /connectors/"
                    + connector.name() + "/resume)");
            case "FAILED" -> v.failed(name + " FAILED" + (connector.trace() == null ? "" : ": " + connector.trace()));
            default -> {
                if (TRANSIENT.contains(connector.state())) {
                    v.behind(name + " is " + connector.state());
                } else {
                    v.failed(name + " is " + connector.state());
                }
            }
        }
        for (StatusReport.Task t : connector.tasks()) {
            switch (t.state()) {
                case "RUNNING" -> { }
                case "FAILED" -> v.failed(name + " task " + t.id() + " FAILED"
                        + (t.trace() == null ? "" : ": " + t.trace()) + " (restart it: POST /connectors/"
                        + connector.name() + "/tasks/" + t.id() + "/restart)");
                default -> {
                    if (TRANSIENT.contains(t.state())) {
                        v.behind(name + " task " + t.id() + " is " + t.state());
                    } else if (!connector.state().equals("PAUSED") && !connector.state().equals("STOPPED")) {
                        v.failed(name + " task " + t.id() + " is " + t.state());
                    }
                }
            }
        }
    }

    /** The worst health so far and the problems found. */
    private static final class Verdict {
        Health health = Health.OK;
        final List<String> problems = new ArrayList<>();

        void behind(String problem) {
            health = health.worst(Health.BEHIND);
            problems.add(problem);
        }

        void failed(String problem) {
            health = health.worst(Health.FAILED);
            problems.add(problem);
        }

        void unknown() {
            health = health.worst(Health.UNKNOWN);
            problems.add("connector states unknown: Kafka Connect could not be reached");
        }
    }

    /**
     * How far a table is behind Salesforce: the age of the oldest Salesforce change newer than the table's newest
     * {@code systemmodstamp}, or zero when Salesforce's newest change is no newer than the table's (within the
     * {@linkplain ValueComparison#DATETIME_TOLERANCE date-time tolerance}: a streamed change's
     * {@code systemmodstamp} is its commit time). This sees changes that have not arrived; it cannot see an older
     * change lost while newer ones arrived (counts and reconcile find those).
     *
     * @param salesforceNewest Salesforce's newest SystemModstamp, null when the object has no records
     * @param postgresNewest the table's newest systemmodstamp, null when it is empty
     * @param oldestAfter the oldest SystemModstamp after a whole-second instant, or null when there is none
     */
    public static Duration lag(Instant now, Instant salesforceNewest, Instant postgresNewest,
            Function<Instant, Instant> oldestAfter) {
        if (salesforceNewest == null) {
            return Duration.ZERO;
        }
        if (postgresNewest != null
                && !salesforceNewest.isAfter(postgresNewest.plus(ValueComparison.DATETIME_TOLERANCE))) {
            return Duration.ZERO;
        }
        Instant after = postgresNewest == null ? Instant.EPOCH
                : ceilToSecond(postgresNewest.plus(ValueComparison.DATETIME_TOLERANCE));
        Instant oldest = oldestAfter.apply(after);
        Instant waiting = oldest != null && oldest.isBefore(salesforceNewest) ? oldest : salesforceNewest;
        Duration lag = Duration.between(waiting, now);
        return lag.isNegative() ? Duration.ZERO : lag;
    }

    private static Instant ceilToSecond(Instant t) {
        Instant down = t.truncatedTo(ChronoUnit.SECONDS);
        return down.equals(t) ? t : down.plusSeconds(1);
    }

    /** A duration as people read it: {@code 0s}, {@code 45s}, {@code 3m 05s}, {@code 2h 10m}, {@code 3d 4h}. */
    public static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm %02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format("%dh %02dm", s / 3600, s % 3600 / 60);
        }
        return String.format("%dd %dh", s / 86_400, s % 86_400 / 3600);
    }
}
