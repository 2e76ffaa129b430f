package dev.lockstep.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.common.SchemaStyle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusRulesTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    private static final Duration MAX_LAG = Duration.ofSeconds(60);

    static Mapping mapping(String object, Mapping.SyncMode mode) {
        return new Mapping(1, object, Mapping.Access.READ_ONLY, List.of("Id", "Name"), Map.of(), null, 120, false,
                "salesforce", object.toLowerCase(), Map.of(), false, mode, Mapping.UpdateMode.PARTIAL,
                Mapping.DeleteMode.SOFT, SchemaStyle.HEROKU_CONNECT);
    }

    private static StatusReport.Connector running(String name, String type) {
        return new StatusReport.Connector(name, type, "RUNNING", null, List.of(new StatusReport.Task(0, "RUNNING",
                null)));
    }

    private static StatusReport.Progress streaming() {
        return new StatusReport.Progress("streaming", null, null, NOW);
    }

    private static StatusRules.Facts healthy() {
        return new StatusRules.Facts(mapping("Account", Mapping.SyncMode.STREAM), true,
                running("lockstep-salesforce", "source"), running("lockstep-postgres-salesforce-account", "sink"),
                streaming(), true, new StatusReport.Counts(20L, 20L, 1L, 0L),
                new StatusReport.Lag(Duration.ZERO, NOW, NOW, 0L), 0, 0, 0L, MAX_LAG);
    }

    private static StatusRules.Facts with(StatusRules.Facts f, StatusReport.Connector source,
            StatusReport.Connector sink, StatusReport.Progress progress, StatusReport.Counts counts,
            StatusReport.Lag lag, long deadLetters, Long failedRows) {
        return new StatusRules.Facts(f.mapping(), f.connectReached(), source, sink, progress, f.tableExists(), counts,
                lag, deadLetters, f.sourceErrors(), failedRows, f.maxLag());
    }

    @Test
    void everythingRunningAndInStepIsOk() {
        StatusRules.Judgement j = StatusRules.judge(healthy());
        assertThat(j.health()).isEqualTo(Health.OK);
        assertThat(j.problems()).isEmpty();
    }

    @Test
    void aFailedTaskNeedsAttentionAndShowsItsTrace() {
        StatusRules.Facts f = healthy();
        StatusReport.Connector sink = new StatusReport.Connector("lockstep-postgres-salesforce-account", "sink",
                "RUNNING", null, List.of(new StatusReport.Task(0, "FAILED",
                        "org.apache.kafka.connect.errors.ConnectException: relation does not exist")));
        StatusRules.Judgement j = StatusRules.judge(with(f, f.source(), sink, f.progress(), f.counts(), f.lag(), 0,
                0L));
        assertThat(j.health()).isEqualTo(Health.FAILED);
        assertThat(j.problems()).singleElement().asString()
                .contains("sink lockstep-postgres-salesforce-account task 0 FAILED")
                .contains("relation does not exist")
                .contains("POST /connectors/lockstep-postgres-salesforce-account/tasks/0/restart");
        assertThat(Health.FAILED.exitCode()).isEqualTo(5);
    }

    @Test
    void pausedStoppedAndMissingConnectorsNeedAttention() {
        StatusRules.Facts f = healthy();
        for (String state : List.of("PAUSED", "STOPPED", StatusReport.Connector.MISSING, "FAILED")) {
            StatusReport.Connector source = new StatusReport.Connector("lockstep-salesforce", "source", state, null,
                    List.of());
            StatusRules.Judgement j = StatusRules.judge(with(f, source, f.sink(), f.progress(), f.counts(), f.lag(),
                    0, 0L));
            assertThat(j.health()).as(state).isEqualTo(Health.FAILED);
        }
    }

    @Test
    void aSnapshotInProgressIsBehind() {
        StatusRules.Facts f = healthy();
        StatusRules.Judgement j = StatusRules.judge(with(f, f.source(), f.sink(),
                new StatusReport.Progress("snapshot", 400L, 1000L, null), new StatusReport.Counts(1000L, 400L, 0L,
                        0L), f.lag(), 0, 0L));
        assertThat(j.health()).isEqualTo(Health.BEHIND);
        assertThat(j.problems()).contains("snapshot in progress (400 of 1000 records)");
        assertThat(Health.BEHIND.exitCode()).isEqualTo(4);
    }

    @Test
    void aSnapshotOffsetLeftOnAQuietObjectIsNotWorkInProgressOnceTheTableHasCaughtUp() {
        StatusRules.Facts f = healthy();
        StatusReport.Progress stale = new StatusReport.Progress("snapshot", 19L, 20L, null);
        assertThat(StatusRules.judge(with(f, f.source(), f.sink(), stale, f.counts(), f.lag(), 0, 0L)).health())
                .as("20 records, 20 live rows, no lag: the offset is only old").isEqualTo(Health.OK);
        assertThat(StatusRules.judge(with(f, f.source(), f.sink(), stale, new StatusReport.Counts(null, 20L, 0L, 0L),
                null, 0, 0L)).health()).as("without Salesforce the offset is all there is").isEqualTo(Health.BEHIND);
        assertThat(StatusRules.judge(with(f, f.source(), f.sink(),
                new StatusReport.Progress(StatusReport.Progress.NOT_STARTED, null, null, null),
                new StatusReport.Counts(0L, 0L, 0L, 0L), f.lag(), 0, 0L)).health())
                .as("an object without records never stores an offset").isEqualTo(Health.OK);
    }

    @Test
    void differentCountsAreBehindAndPointAtReconcile() {
        StatusRules.Facts f = healthy();
        StatusRules.Judgement j = StatusRules.judge(with(f, f.source(), f.sink(), f.progress(),
                new StatusReport.Counts(21L, 20L, 0L, 0L), f.lag(), 0, 0L));
        assertThat(j.health()).isEqualTo(Health.BEHIND);
        assertThat(j.problems()).singleElement().asString().contains("Salesforce has 21 records")
                .contains("lockstep reconcile");
    }

    @Test
    void lagOverTheLimitIsBehindAndAPolledMappingMayLagByItsInterval() {
        StatusRules.Facts f = healthy();
        StatusReport.Lag lag = new StatusReport.Lag(Duration.ofSeconds(150), NOW, NOW.minusSeconds(150), null);
        assertThat(StatusRules.judge(with(f, f.source(), f.sink(), f.progress(), f.counts(), lag, 0, 0L)).health())
                .isEqualTo(Health.BEHIND);
        StatusRules.Facts polled = new StatusRules.Facts(mapping("Account", Mapping.SyncMode.POLL), true, f.source(),
                f.sink(), new StatusReport.Progress("polling", null, null, NOW), true, f.counts(), lag, 0, 0, 0L,
                MAX_LAG);
        assertThat(StatusRules.judge(polled).health()).as("60 s plus the 120 s polling interval").isEqualTo(Health.OK);
    }

    @Test
    void deadLettersAndFailedRowsNeedAttention() {
        StatusRules.Facts f = healthy();
        StatusRules.Judgement j = StatusRules.judge(with(f, f.source(), f.sink(), f.progress(), f.counts(), f.lag(),
                2, 3L));
        assertThat(j.health()).isEqualTo(Health.FAILED);
        assertThat(j.problems()).hasSize(2);
        assertThat(j.problems().get(0)).contains("2 record(s)").contains("dead-letter topic");
        assertThat(j.problems().get(1)).contains("3 row(s) with _hc_lastop = 'FAILED'");
    }

    @Test
    void anUnreachableConnectMakesTheStateUnknown() {
        StatusRules.Facts f = healthy();
        StatusRules.Facts unreached = new StatusRules.Facts(f.mapping(), false, null, null, null, true, f.counts(),
                f.lag(), 0, 0, 0L, MAX_LAG);
        assertThat(StatusRules.judge(unreached).health()).isEqualTo(Health.UNKNOWN);
        assertThat(Health.UNKNOWN.exitCode()).isEqualTo(1);
    }

    @Test
    void theWorstMappingDecidesTheReportAndSomethingUnreachableOverridesAll() {
        StatusReport.MappingStatus ok = status(Health.OK);
        StatusReport.MappingStatus failed = status(Health.FAILED);
        assertThat(new StatusReport(NOW, List.of(), List.of(ok, failed), List.of(), List.of()).health())
                .isEqualTo(Health.FAILED);
        assertThat(new StatusReport(NOW, List.of(), List.of(ok), List.of(), List.of()).health()).isEqualTo(Health.OK);
        assertThat(new StatusReport(NOW, List.of(), List.of(failed), List.of("Kafka: timeout"), List.of()).health())
                .isEqualTo(Health.UNKNOWN);
    }

    static StatusReport.MappingStatus status(Health health) {
        return new StatusReport.MappingStatus("Account", "salesforce.account", "lockstep-salesforce",
                "lockstep-postgres-salesforce-account", new StatusReport.Progress("streaming", null, null, NOW),
                new StatusReport.Counts(20L, 20L, 1L, 0L), new StatusReport.Lag(Duration.ZERO, NOW, NOW, null),
                List.of(), 0, List.of(), List.of(), 0L, health, new ArrayList<>());
    }

    @Test
    void lagIsZeroWhenTheNewestChangeHasArrivedWithinTheTolerance() {
        assertThat(StatusRules.lag(NOW, NOW.minusSeconds(30), NOW.minusSeconds(30).minusMillis(400),
                after -> { throw new AssertionError("no query needed"); })).isZero();
        assertThat(StatusRules.lag(NOW, null, null, after -> null)).as("no records at all").isZero();
    }

    @Test
    void lagIsTheAgeOfTheOldestChangeNotInTheTable() {
        Instant tableNewest = Instant.parse("2026-05-01T11:50:00.300Z");
        List<Instant> asked = new ArrayList<>();
        Duration lag = StatusRules.lag(NOW, NOW.minusSeconds(10), tableNewest, after -> {
            asked.add(after);
            return Instant.parse("2026-05-01T11:55:00Z");
        });
        assertThat(asked).as("after the table's newest plus the tolerance, in whole seconds")
                .containsExactly(Instant.parse("2026-05-01T11:50:02Z"));
        assertThat(lag).isEqualTo(Duration.ofMinutes(5));
        assertThat(StatusRules.lag(NOW, NOW.minusSeconds(10), null, after -> NOW.minusSeconds(3600)))
                .as("an empty table: the oldest record").isEqualTo(Duration.ofHours(1));
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(StatusRules.human(Duration.ofMillis(900))).isEqualTo("0s");
        assertThat(StatusRules.human(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(StatusRules.human(Duration.ofSeconds(185))).isEqualTo("3m 05s");
        assertThat(StatusRules.human(Duration.ofMinutes(130))).isEqualTo("2h 10m");
        assertThat(StatusRules.human(Duration.ofHours(76))).isEqualTo("3d 4h");
    }
}
