package dev.lockstep.cli.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.ObjectDescribe;
import dev.lockstep.salesforce.client.SalesforceClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares Salesforce and Postgres one mapping at a time: every live record with its row, every mapped field (see
 * {@link ValueComparison} for what counts as equal), plus the checks a migration from Heroku Connect runs
 * (duplicate {@code sfid}s, child rows without their parent row). Both sides are streamed in Id order
 * ({@link RecordMerge}), so memory does not grow with the table; only the Ids of differing records are kept.
 *
 * <p>A walk while the sync runs can catch a change in flight. Differences found are therefore read again, by Id,
 * after {@link Options#settle()}, and only those still there are reported (one SOQL query per 200 differing
 * records).
 */
public final class Reconciler {

    /**
     * How reconcile reads and reports.
     *
     * @param limit the most items listed per object and kind (counts are always complete)
     * @param bulkThreshold objects with more live records are read with a Bulk API 2.0 query, smaller ones over REST
     * @param settle how long to wait before reading differences again; zero reports the first walk as it is
     */
    public record Options(int limit, long bulkThreshold, Duration settle) {

        public static final int DEFAULT_LIMIT = 20;
        public static final long DEFAULT_BULK_THRESHOLD = 10_000;
        public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(5);

        public Options {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1");
            }
        }
    }

    /** A reference column whose parent object is mapped too. */
    record OrphanCheck(String field, String column, Mapping parent, String keyPrefix) {
    }

    /**
     * How one mapping is compared: the fields and columns, what is read from Salesforce, what is left out and why.
     */
    record Plan(Mapping mapping, PostgresTable table, List<RecordMerge.Field> fields, List<String> select,
            List<String> blobFields, List<OrphanCheck> orphanChecks, List<String> missingColumns,
            List<String> notCompared) {

        List<String> columns() {
            return fields.stream().map(RecordMerge.Field::column).toList();
        }
    }

    private final SalesforceClient client;
    private final Connection postgres;
    private final List<Mapping> mappings;
    private final Options options;
    private final Map<Mapping, Plan> plans = new HashMap<>();

    /**
     * @param mappings every mapping of the file, resolved against describe (parents of references are looked up
     *     among them)
     * @param postgres a connection reconcile may switch out of auto-commit while it streams rows
     */
    public Reconciler(SalesforceClient client, Connection postgres, List<Mapping> mappings, Options options) {
        this.client = client;
        this.postgres = postgres;
        this.mappings = List.copyOf(mappings);
        this.options = options;
    }

    /** Compares one mapping's object with its table. */
    public ObjectReport reconcile(Mapping mapping) throws SQLException {
        PostgresTable table = PostgresTable.open(postgres, mapping);
        if (table == null) {
            return ObjectReport.notCompared(mapping, "table " + mapping.qualifiedTable() + " does not exist; deploy"
                    + " the mapping file first (lockstep deploy)");
        }
        if (!table.hasColumn(Mapping.SFID)) {
            return ObjectReport.notCompared(mapping, mapping.qualifiedTable() + " has no sfid column, so its rows"
                    + " cannot be matched with records; is it a table Lockstep or Heroku Connect made?");
        }
        Plan plan = plan(mapping, table);
        plans.put(mapping, plan);
        long expected = client.rest().count("SELECT COUNT() FROM " + mapping.objectName());
        RecordMerge.Result first = streaming(() -> {
            try (SalesforceRecords.Records records = SalesforceRecords.all(client, mapping.objectName(),
                    plan.select(), plan.blobFields(), expected, options.bulkThreshold());
                    PostgresTable.Rows rows = table.rows(plan.columns(), null)) {
                return RecordMerge.merge(records, rows, plan.fields(), options.limit());
            }
        });
        RecordMerge.Result settled = first;
        if (!first.equal() && !options.settle().isZero()) {
            sleep(options.settle());
            settled = first.settledBy(walk(plan, first.differingIds()));
        }
        return new ObjectReport(mapping, null, settled, table.rowsWithoutSfid(), table.duplicates(options.limit()),
                orphans(plan), plan.missingColumns(), plan.notCompared());
    }

    /**
     * Reads the records a report found differing again, by Id, and runs the SQL checks again: the report as it
     * stands now. Cheap (one query per 200 differing records), for waiting on a repair.
     */
    public ObjectReport recheck(ObjectReport report) throws SQLException {
        Plan plan = plans.get(report.mapping());
        if (plan == null) {
            return report;
        }
        RecordMerge.Result again = report.records().differingIds().isEmpty() ? report.records()
                : report.records().settledBy(walk(plan, report.records().differingIds()));
        return report.with(again, plan.table().duplicates(options.limit()), orphans(plan));
    }

    private RecordMerge.Result walk(Plan plan, List<String> ids) throws SQLException {
        return streaming(() -> {
            try (SalesforceRecords.Records records = SalesforceRecords.byIds(client, plan.mapping().objectName(),
                    plan.select(), plan.blobFields(), ids);
                    PostgresTable.Rows rows = plan.table().rows(plan.columns(), ids)) {
                return RecordMerge.merge(records, rows, plan.fields(), options.limit());
            }
        });
    }

    /** A walk that reads rows through a cursor, which needs a transaction; nothing is written. */
    private interface Walk {
        RecordMerge.Result run() throws SQLException;
    }

    private RecordMerge.Result streaming(Walk walk) throws SQLException {
        boolean autoCommit = postgres.getAutoCommit();
        postgres.setAutoCommit(false);
        try {
            return walk.run();
        } catch (PostgresTable.PostgresReadException e) {
            throw e.getCause();
        } finally {
            postgres.rollback();
            postgres.setAutoCommit(autoCommit);
        }
    }

    private PostgresTable.Found<PostgresTable.Orphan> orphans(Plan plan) throws SQLException {
        long total = 0;
        List<PostgresTable.Orphan> shown = new ArrayList<>();
        for (OrphanCheck check : plan.orphanChecks()) {
            PostgresTable.Found<PostgresTable.Orphan> found = plan.table().orphans(check.field(), check.column(),
                    check.parent(), check.keyPrefix(), options.limit());
            total += found.total();
            found.shown().stream().limit(options.limit() - shown.size()).forEach(shown::add);
        }
        return new PostgresTable.Found<>(total, shown);
    }

    private Plan plan(Mapping mapping, PostgresTable table) throws SQLException {
        JsonNode describe = client.rest().describe(mapping.objectName());
        ObjectDescribe fieldsDescribe = ObjectDescribe.of(describe);
        List<RecordMerge.Field> fields = new ArrayList<>();
        List<String> select = new ArrayList<>(List.of(SalesforceRecords.ID));
        List<String> blobs = new ArrayList<>();
        List<String> missingColumns = new ArrayList<>();
        List<String> notCompared = new ArrayList<>();
        List<OrphanCheck> orphanChecks = new ArrayList<>();
        for (String field : mapping.fields()) {
            String column = mapping.column(field);
            if (column.equals(Mapping.SFID)) {
                continue;
            }
            String type = fieldsDescribe.field(field).map(ObjectDescribe.Field::type).orElse("string");
            if (type.equals("base64") && mapping.allFields()) {
                notCompared.add(field + ": a blob field, which all_fields mappings do not sync (list it in fields"
                        + " to sync it)");
                continue;
            }
            if (!table.hasColumn(column)) {
                missingColumns.add(field + " → " + column);
                continue;
            }
            fields.add(new RecordMerge.Field(field, column));
            select.add(field);
            if (type.equals("base64")) {
                blobs.add(field);
            }
            if (type.equals("reference")) {
                orphanChecks.addAll(orphanChecks(field, column, referenceTo(describe, field)));
            }
        }
        return new Plan(mapping, table, fields, select, blobs, orphanChecks, missingColumns, notCompared);
    }

    private List<OrphanCheck> orphanChecks(String field, String column, List<String> referenceTo)
            throws SQLException {
        List<OrphanCheck> checks = new ArrayList<>();
        for (String target : referenceTo) {
            for (Mapping parent : mappings) {
                if (!parent.objectName().equalsIgnoreCase(target)
                        || PostgresTable.open(postgres, parent) == null) {
                    continue;
                }
                String keyPrefix = null;
                if (referenceTo.size() > 1) {
                    // A polymorphic reference (WhoId: Contact or Lead): only Ids with the parent's prefix are its.
                    keyPrefix = client.rest().describe(parent.objectName()).path("keyPrefix").asText(null);
                    if (keyPrefix == null) {
                        continue;
                    }
                }
                checks.add(new OrphanCheck(field, column, parent, keyPrefix));
            }
        }
        return checks;
    }

    private static List<String> referenceTo(JsonNode describe, String field) {
        List<String> targets = new ArrayList<>();
        for (JsonNode f : describe.path("fields")) {
            if (f.path("name").asText().toLowerCase(Locale.ROOT).equals(field.toLowerCase(Locale.ROOT))) {
                f.path("referenceTo").forEach(t -> targets.add(t.asText()));
            }
        }
        return targets;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while letting changes in flight settle", e);
        }
    }
}
