package dev.lockstep.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.lockstep.cli.reconcile.RecordMerge.MissingReason;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordMergeTest {

    private static final List<RecordMerge.Field> FIELDS = List.of(new RecordMerge.Field("Name", "name"),
            new RecordMerge.Field("AnnualRevenue", "annualrevenue"),
            new RecordMerge.Field("SystemModstamp", "systemmodstamp"));
    private static final Instant OLD = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NEW = Instant.parse("2026-02-01T00:00:00Z");

    private static Map<String, Object> record(String id, String name, String revenue, Instant modstamp) {
        Map<String, Object> r = new HashMap<>();
        r.put("Id", id);
        r.put("Name", name);
        r.put("AnnualRevenue", revenue == null ? null : new BigDecimal(revenue));
        r.put("SystemModstamp", modstamp);
        return r;
    }

    private static PostgresTable.Row row(String sfid, boolean deleted, Object... values) {
        return new PostgresTable.Row(sfid, deleted, new ArrayList<>(Arrays.asList(values)));
    }

    @Test
    void equalSidesGiveNoDifferencesAndCountBoth() {
        RecordMerge.Result result = RecordMerge.merge(
                List.of(record("001A", "Acme", "10.50", OLD), record("001B", "Globex", null, NEW)).iterator(),
                List.of(row("001A", false, "Acme", 10.5, OLD), row("001B", false, "Globex", null, NEW),
                        row("001C", true, "Gone", null, NEW)).iterator(), FIELDS, 10);

        assertThat(result.equal()).isTrue();
        assertThat(result.salesforceRecords()).isEqualTo(2);
        assertThat(result.liveRows()).isEqualTo(2);
        assertThat(result.deletedRows()).as("a soft-deleted row without a live record is as it should be")
                .isEqualTo(1);
        assertThat(result.differingIds()).isEmpty();
    }

    @Test
    void eachKindOfDifferenceIsFoundWithItsIdAndField() {
        RecordMerge.Result result = RecordMerge.merge(List.of(
                record("001A", "Acme", "10.50", NEW),
                record("001B", "Globex", "5.00", OLD),
                record("001D", "Initech", null, NEW),
                record("001E", "Umbrella", null, NEW)).iterator(), List.of(
                row("001A", false, "Acme", 10.5, NEW),
                row("001B", false, "Globex Corp", 5.0, OLD),
                row("001C", false, "Fake", null, NEW),
                row("001E", true, "Umbrella", null, NEW)).iterator(), FIELDS, 10);

        assertThat(result.equal()).isFalse();
        assertThat(result.missing()).extracting(RecordMerge.Missing::id, RecordMerge.Missing::reason)
                .containsExactly(tuple("001D", MissingReason.NO_ROW), tuple("001E", MissingReason.SOFT_DELETED));
        assertThat(result.extra()).containsExactly("001C");
        assertThat(result.extraIds()).containsExactly("001C");
        assertThat(result.fieldDifferences()).extracting(RecordMerge.FieldDifference::id,
                RecordMerge.FieldDifference::field, RecordMerge.FieldDifference::column,
                RecordMerge.FieldDifference::salesforce, RecordMerge.FieldDifference::postgres)
                .containsExactly(tuple("001B", "Name", "name", "\"Globex\"", "\"Globex Corp\""));
        assertThat(result.differingRecords()).isEqualTo(1);
        assertThat(result.differingIds()).as("in Id order, for a re-read by Id")
                .containsExactly("001B", "001C", "001D", "001E");
        assertThat(result.oldestModstamp()).as("where a re-sync must start to re-read every differing record")
                .isEqualTo(OLD);
    }

    @Test
    void listsStopAtTheLimitWhileCountsStayComplete() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            records.add(record(String.format("001%03d", i), "n" + i, null, NEW));
        }
        RecordMerge.Result result = RecordMerge.merge(records.iterator(), List.<PostgresTable.Row>of().iterator(),
                FIELDS, 3);

        assertThat(result.missingCount()).isEqualTo(50);
        assertThat(result.missing()).hasSize(3);
        assertThat(result.differingIds()).hasSize(50);
    }

    @Test
    void aRepeatedSfidIsComparedOnce() {
        RecordMerge.Result result = RecordMerge.merge(List.of(record("001A", "Acme", null, NEW)).iterator(),
                List.of(row("001A", false, "Acme", null, NEW), row("001A", false, "Acme (copy)", null, NEW))
                        .iterator(), FIELDS, 10);

        assertThat(result.equal()).isTrue();
        assertThat(result.liveRows()).isEqualTo(1);
    }

    @Test
    void aSideOutOfIdOrderFailsTheWalkInsteadOfReportingWrongDifferences() {
        assertThatThrownBy(() -> RecordMerge.merge(
                List.of(record("001B", "b", null, NEW), record("001A", "a", null, NEW)).iterator(),
                List.<PostgresTable.Row>of().iterator(), FIELDS, 10))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Salesforce returned the records out of Id order (001A after 001B)");
        assertThatThrownBy(() -> RecordMerge.merge(List.<Map<String, Object>>of().iterator(),
                List.of(row("001b", false, "b", null, NEW), row("001B", false, "B", null, NEW)).iterator(),
                FIELDS, 10))
                .hasMessageContaining("Postgres returned the rows out of Id order (001B after 001b)");
    }

    @Test
    void aSecondWalkOverTheDifferingIdsKeepsOnlyWhatIsStillThere() {
        RecordMerge.Result first = RecordMerge.merge(
                List.of(record("001A", "Acme", null, OLD), record("001B", "Globex", null, NEW)).iterator(),
                List.of(row("001A", false, "Acme (old)", null, OLD), row("001B", false, "Globex (old)", null, NEW))
                        .iterator(), FIELDS, 10);
        RecordMerge.Result again = RecordMerge.merge(
                List.of(record("001A", "Acme", null, OLD), record("001B", "Globex", null, NEW)).iterator(),
                List.of(row("001A", false, "Acme", null, OLD), row("001B", false, "Globex (old)", null, NEW))
                        .iterator(), FIELDS, 10);

        RecordMerge.Result settled = first.settledBy(again);

        assertThat(settled.salesforceRecords()).isEqualTo(2);
        assertThat(settled.differingIds()).containsExactly("001B");
        assertThat(settled.fieldDifferences()).extracting(RecordMerge.FieldDifference::id).containsExactly("001B");
        assertThat(settled.oldestModstamp()).isEqualTo(NEW);
    }
}
