package dev.lockstep.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.output.Output;
import dev.lockstep.cli.output.Style;
import dev.lockstep.common.SchemaStyle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcilePrinterTest {

    private static final Instant T = Instant.parse("2026-02-01T00:00:00Z");
    private static final List<RecordMerge.Field> FIELDS = List.of(new RecordMerge.Field("LastName", "lastname"));

    static Mapping mapping(String object) {
        return new Mapping(1, object, Mapping.Access.READ_ONLY, List.of("Id", "LastName"), Map.of(), null, 600,
                false, "salesforce", object.toLowerCase(), Map.of(), false, Mapping.SyncMode.STREAM,
                Mapping.UpdateMode.PARTIAL, Mapping.DeleteMode.SOFT, SchemaStyle.HEROKU_CONNECT);
    }

    private static Map<String, Object> record(String id, String lastName) {
        Map<String, Object> r = new HashMap<>();
        r.put("Id", id);
        r.put("LastName", lastName);
        r.put("SystemModstamp", T);
        return r;
    }

    private static PostgresTable.Row row(String sfid, String lastName) {
        return new PostgresTable.Row(sfid, false, new ArrayList<>(java.util.Arrays.asList((Object) lastName)));
    }

    static ObjectReport equal() {
        RecordMerge.Result r = RecordMerge.merge(List.of(record("001A", "x")).iterator(),
                List.of(row("001A", "x")).iterator(), FIELDS, 2);
        return new ObjectReport(mapping("Account"), null, r, 0, new PostgresTable.Found<>(0, List.of()),
                new PostgresTable.Found<>(0, List.of()), List.of(), List.of());
    }

    static ObjectReport differing() {
        RecordMerge.Result r = RecordMerge.merge(
                List.of(record("003A", "Smith"), record("003B", "Jones"), record("003C", "Brown"),
                        record("003D", "Green")).iterator(),
                List.of(row("003A", "Smyth"), row("003X", "Fake")).iterator(), FIELDS, 2);
        return new ObjectReport(mapping("Contact"), null, r, 1, new PostgresTable.Found<>(0, List.of()),
                new PostgresTable.Found<>(1, List.of(new PostgresTable.Orphan("003A", "AccountId", "accountid",
                        "Account", "salesforce.account", "001Z"))), List.of(), List.of());
    }

    private static String text(List<ObjectReport> reports) {
        StringWriter out = new StringWriter();
        Output output = new Output(new PrintWriter(out), new PrintWriter(new StringWriter()), Style.plain());
        ReconcilePrinter.print(output, "Salesforce compared with Postgres", reports);
        return out.toString();
    }

    @Test
    void theSummaryHasOneLinePerMappingWithItsCountsAndResult() {
        assertThat(text(List.of(equal(), differing()))).startsWith("""

                Salesforce compared with Postgres
                  OBJECT   TABLE               SALESFORCE  LIVE ROWS  MISSING  EXTRA  DIFFERING  DUPLICATES  ORPHANS  RESULT
                  Account  salesforce.account           1          1        0      0          0           0        0  equal
                  Contact  salesforce.contact           4          2        3      1          1           0        1  differs
                """);
    }

    @Test
    void eachDifferingMappingListsWhatDiffersUpToTheLimit() {
        String text = text(List.of(equal(), differing()));
        assertThat(text).doesNotContain("Account (salesforce.account)");
        assertThat(text).contains("Contact (salesforce.contact)")
                .contains("  Missing: live in Salesforce, no live row: 3\n")
                .contains("  003B  no row\n")
                .contains("  ... 1 more (--limit N shows more)\n")
                .contains("  Extra: live row, no live record in Salesforce: 1\n  SFID\n  003X\n")
                .contains("  Field differences (in 1 record(s)): 1\n")
                .contains("  003A  LastName  lastname  \"Smith\"     \"Smyth\"\n")
                .contains("  Orphans: the parent record has no row: 1\n")
                .contains("  003A  AccountId  accountid  salesforce.account  001Z\n")
                .contains("  1 row(s) without sfid");
    }

    @Test
    void jsonHoldsCountsTotalsAndTheListedItems() {
        ObjectNode json = ReconcilePrinter.json(List.of(equal(), differing()));
        assertThat(json.path("equal").asBoolean()).isFalse();
        assertThat(json.path("objects").get(0).path("equal").asBoolean()).isTrue();
        ObjectNode contact = (ObjectNode) json.path("objects").get(1);
        assertThat(contact.path("counts").path("salesforce").asLong()).isEqualTo(4);
        assertThat(contact.path("missing").path("total").asLong()).isEqualTo(3);
        assertThat(contact.path("missing").path("shown")).hasSize(2);
        assertThat(contact.path("missing").path("shown").get(0).path("reason").asText()).isEqualTo("no row");
        assertThat(contact.path("extra").path("shown").get(0).asText()).isEqualTo("003X");
        assertThat(contact.path("fieldDifferences").path("shown").get(0).path("postgres").asText())
                .isEqualTo("\"Smyth\"");
        assertThat(contact.path("orphans").path("shown").get(0).path("parentId").asText()).isEqualTo("001Z");
    }

    @Test
    void aMappingThatCouldNotBeComparedSaysWhy() {
        ObjectReport missing = ObjectReport.notCompared(mapping("Lead"), "table salesforce.lead does not exist");
        assertThat(missing.equal()).isFalse();
        assertThat(text(List.of(missing))).contains("  Lead    salesforce.lead  ")
                .contains("not compared").contains("table salesforce.lead does not exist");
        assertThat(ReconcilePrinter.json(List.of(missing)).path("objects").get(0).path("problem").asText())
                .contains("does not exist");
    }
}
