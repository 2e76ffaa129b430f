package dev.lockstep.cli.reconcile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.cli.connect.ConnectRest;
import dev.lockstep.cli.mapping.Identifiers;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.rest.Soql;
import dev.lockstep.salesforce.client.values.FieldValues;
import dev.lockstep.source.config.SalesforceSourceConnectorConfig;
import dev.lockstep.source.offsets.SourceOffsets;
import dev.lockstep.source.offsets.SourceOffsets.Position;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Brings differing records back in line through the normal pipeline, and does by hand only what the pipeline cannot:
 * <ol>
 *   <li>Records missing from the table or with differing fields, and extra rows whose record is in Salesforce's
 *       recycle bin, are re-read by the Salesforce source connector: it is stopped, the object's offset is rewound
 *       to a {@code resync} position (streamed objects) or an earlier {@code poll} cursor (polled objects) at the
 *       oldest such record's {@code SystemModstamp} minus the connector's {@code resync.margin.ms}, and it is
 *       resumed. The source then re-reads, with {@code queryAll}, every record modified since then (the report says
 *       how many), sends complete rows and deletes through the topic, and the sink's transforms write them as for
 *       any change. A streamed object keeps its replay position in the rewound offset, so streaming resumes after
 *       the re-read exactly where it was: no change is lost. An object still in its snapshot is not rewound.</li>
 *   <li>Extra rows whose record is gone from Salesforce altogether (deleted for good, or never there) cannot come
 *       through the pipeline: they are soft-deleted directly ({@code isdeleted = true}, {@code _hc_lastop =
 *       'UPDATED'}, {@code systemmodstamp} now, as the sink writes a delete), or deleted where the mapping's
 *       {@code delete_mode} is hard or the table has no {@code isdeleted}.</li>
 *   <li>Everything else is left as it is and reported: duplicate {@code sfid}s, rows without {@code sfid}, missing
 *       columns, child rows whose parent record is not in the table (repaired with the parent's object), and objects
 *       whose snapshot has not finished (their differences are expected until it does).</li>
 * </ol>
 * Repair never writes to Salesforce.
 */
public final class Repair {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OFFSET = new TypeReference<>() { };
    private static final Duration STATE_BOUND = Duration.ofSeconds(60);
    private static final Duration STATE_POLL = Duration.ofMillis(250);

    /**
     * What repair did for one mapping.
     *
     * @param mapping the mapping
     * @param connector the source connector rewound, or null
     * @param resyncFrom where its offset was rewound to, or null
     * @param phaseBefore the object's phase before ({@code stream}, {@code resync}, {@code poll}), or null
     * @param recordsToReread live records modified since {@code resyncFrom}, which the source re-reads
     * @param rowsSoftDeleted extra rows soft-deleted directly
     * @param rowsDeleted extra rows deleted directly
     * @param leftAlone what was not repaired, each with why
     */
    public record Action(Mapping mapping, String connector, Instant resyncFrom, String phaseBefore,
            long recordsToReread, long rowsSoftDeleted, long rowsDeleted, List<String> leftAlone) {

        public Action {
            leftAlone = List.copyOf(leftAlone);
        }
    }

    private final SalesforceClient client;
    private final Connection postgres;
    private final ConnectRest connect;
    private final List<String> sourceConnectors;
    private final Function<Mapping, String> sinkOf;

    /**
     * @param sourceConnectors the names of the deployment's Salesforce source connectors; the one whose
     *     {@code object.include.list} holds an object re-reads it
     * @param sinkOf the name of the sink connector writing a mapping's table
     */
    public Repair(SalesforceClient client, Connection postgres, ConnectRest connect, List<String> sourceConnectors,
            Function<Mapping, String> sinkOf) {
        this.client = client;
        this.postgres = postgres;
        this.connect = connect;
        this.sourceConnectors = List.copyOf(sourceConnectors);
        this.sinkOf = sinkOf;
    }

    /** One mapping's plan, before anything is changed. */
    private static final class Work {
        final ObjectReport report;
        final List<String> leftAlone = new ArrayList<>();
        final List<String> gone = new ArrayList<>();
        Instant since;
        String connector;
        Instant resyncFrom;
        String phaseBefore;
        long toReread;
        long softDeleted;
        long deleted;

        Work(ObjectReport report) {
            this.report = report;
            this.since = report.records().oldestModstamp();
        }

        Action action() {
            return new Action(report.mapping(), connector, resyncFrom, phaseBefore, toReread, softDeleted, deleted,
                    leftAlone);
        }
    }

    /** Repairs what the reports found; reports that are equal or could not be compared are passed over. */
    public List<Action> run(List<ObjectReport> reports) throws SQLException {
        List<Work> work = new ArrayList<>();
        for (ObjectReport report : reports) {
            if (report.problem() == null && !report.equal()) {
                Work w = new Work(report);
                findGone(w);
                noteLeftAlone(w);
                work.add(w);
            }
        }
        Map<String, List<Work>> byConnector = new LinkedHashMap<>();
        for (Work w : work) {
            if (w.since == null) {
                continue;
            }
            String connector = sourceOf(w.report.mapping().objectName());
            if (connector == null) {
                w.leftAlone.add("no Salesforce source connector of this deployment reads "
                        + w.report.mapping().objectName() + " (looked in " + sourceConnectors + "); deploy the mapping"
                        + " file, or give the deployment's --name");
                continue;
            }
            byConnector.computeIfAbsent(connector, c -> new ArrayList<>()).add(w);
        }
        for (Map.Entry<String, List<Work>> e : byConnector.entrySet()) {
            rewind(e.getKey(), e.getValue());
        }
        for (Work w : work) {
            if (w.connector != null) {
                noteSinkNotRunning(w);
            }
        }
        for (Work w : work) {
            removeGone(w);
        }
        return work.stream().map(Work::action).toList();
    }

    /**
     * Looks the extra rows' records up with {@code queryAll}: those in the recycle bin are re-read (their delete
     * reaches the table through the pipeline), those not found at all are gone for good.
     */
    private void findGone(Work w) {
        List<String> extra = w.report.records().extraIds();
        if (extra.isEmpty()) {
            return;
        }
        String object = w.report.mapping().objectName();
        FieldValues values = client.rest().values(object);
        Set<String> found = new TreeSet<>();
        for (List<String> batch : SalesforceRecords.batches(extra)) {
            Iterator<JsonNode> records = client.rest().queryAll("SELECT Id, SystemModstamp FROM "
                    + Soql.identifier(object) + " WHERE Id IN " + Soql.list(batch));
            while (records.hasNext()) {
                JsonNode record = records.next();
                found.add(record.path("Id").asText());
                Object stamp = values.fromJson("SystemModstamp", record.get("SystemModstamp"));
                if (stamp instanceof Instant instant && (w.since == null || instant.isBefore(w.since))) {
                    w.since = instant;
                }
            }
        }
        extra.stream().filter(id -> !found.contains(id)).forEach(w.gone::add);
    }

    private static void noteLeftAlone(Work w) {
        ObjectReport r = w.report;
        if (r.duplicates().total() > 0) {
            w.leftAlone.add(r.duplicates().total() + " sfid(s) on more than one row: delete all but one row of each"
                    + " by hand (the table should have the unique constraint hcu_idx_" + r.mapping().table()
                    + "_sfid)");
        }
        if (r.orphans().total() > 0) {
            w.leftAlone.add(r.orphans().total() + " row(s) whose parent record has no row: repaired with the parent's"
                    + " object when its records are missing; a parent gone from Salesforce stays missing");
        }
        if (!r.missingColumns().isEmpty()) {
            w.leftAlone.add("columns missing for " + String.join(", ", r.missingColumns())
                    + ": run lockstep deploy to add them");
        }
    }

    /** A sink that is not running holds the re-read records in its topic: the repair waits for it. */
    private void noteSinkNotRunning(Work w) {
        String sink = sinkOf.apply(w.report.mapping());
        JsonNode status = connect.status(sink);
        String state = status == null ? "not deployed" : status.path("connector").path("state").asText();
        boolean tasksRunning = status != null && status.path("tasks").size() > 0;
        if (status != null) {
            for (JsonNode task : status.path("tasks")) {
                tasksRunning &= "RUNNING".equals(task.path("state").asText());
            }
        }
        if (!"RUNNING".equals(state) || !tasksRunning) {
            w.leftAlone.add("sink " + sink + " is " + ("RUNNING".equals(state) ? "running without all its tasks"
                    : state) + ": the re-read records wait in its topic until it runs (resume or restart it)");
        }
    }

    private String sourceOf(String object) {
        for (String name : sourceConnectors) {
            JsonNode config = connect.config(name);
            if (config != null && Arrays.stream(config.path(SalesforceSourceConnectorConfig.OBJECT_INCLUDE_LIST_CONFIG)
                    .asText("").split(",")).map(String::trim).anyMatch(object::equals)) {
                return name;
            }
        }
        return null;
    }

    /** Stops the connector, rewinds its objects' offsets and resumes it, whatever happens in between. */
    private void rewind(String connector, List<Work> work) {
        JsonNode config = connect.config(connector);
        Duration margin = Duration.ofMillis(config.path(SalesforceSourceConnectorConfig.RESYNC_MARGIN_MS_CONFIG)
                .asLong(SalesforceSourceConnectorConfig.RESYNC_MARGIN_MS_DEFAULT));
        JsonNode stored = connect.offsets(connector);
        ArrayNode offsets = JSON.createArrayNode();
        for (Work w : work) {
            String object = w.report.mapping().objectName();
            JsonNode entry = offsetOf(stored, object);
            Instant from = w.since.minus(margin);
            Position current = entry == null ? null
                    : Position.parse(JSON.convertValue(entry.path("offset"), OFFSET));
            Position rewound = current == null ? null : rewind(current, from);
            if (rewound == null) {
                w.leftAlone.add(object + " has not finished its snapshot (" + (current == null ? "no offset stored"
                        : "read " + current.done() + " of " + current.total() + " records") + "): its differences are"
                        + " expected until it does; reconcile again afterwards");
                continue;
            }
            w.connector = connector;
            w.resyncFrom = from;
            w.phaseBefore = current.phase().value();
            w.toReread = client.rest().count("SELECT COUNT() FROM " + Soql.identifier(object)
                    + " WHERE SystemModstamp >= " + Soql.literal(from));
            ObjectNode item = offsets.addObject();
            item.set("partition", entry.path("partition"));
            item.set("offset", JSON.valueToTree(rewound.toMap()));
        }
        if (offsets.isEmpty()) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("offsets", offsets);
        connect.stop(connector);
        try {
            awaitState(connector, "STOPPED");
            connect.alterOffsets(connector, body);
        } finally {
            connect.resume(connector);
        }
        awaitState(connector, "RUNNING");
    }

    /** The stored offset entry ({@code {partition, offset}}) of an object, or null. */
    private static JsonNode offsetOf(JsonNode stored, String object) {
        if (stored == null) {
            return null;
        }
        for (JsonNode entry : stored.path("offsets")) {
            if (object.equals(entry.path("partition").path(SourceOffsets.PARTITION_OBJECT).asText())
                    && entry.path("offset").isObject()) {
                return entry;
            }
        }
        return null;
    }

    /**
     * Where an object's reader must resume to re-read everything modified since {@code from}: a streamed object
     * re-syncs from there and then streams on after its stored replay position; a polled object's cursor moves back
     * (never forward). An object whose stored offset is its snapshot's last record (nothing changed since) re-syncs
     * from there and then streams from the newest event, as after its snapshot. Null while the snapshot has not read
     * all it counted: it reads everything anyway, and a re-sync would skip the rest of it.
     */
    static Position rewind(Position current, Instant from) {
        return switch (current.phase()) {
            case STREAM -> Position.resync(from, null, current.replayId(), current.commitTs());
            case RESYNC -> Position.resync(earlier(current.systemModstamp(), from), null, current.replayId(),
                    current.commitTs());
            case POLL -> Position.poll(earlier(current.systemModstamp(), from), null,
                    earlier(current.deletedSince() == null ? from : current.deletedSince(), from));
            case SNAPSHOT -> current.done() != null && current.total() != null && current.done() >= current.total()
                    ? Position.resync(from, null, null, null) : null;
        };
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private void awaitState(String connector, String state) {
        BooleanSupplier reached = () -> {
            JsonNode status = connect.status(connector);
            return status != null && state.equals(status.path("connector").path("state").asText());
        };
        long deadline = System.nanoTime() + STATE_BOUND.toNanos();
        while (!reached.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Connector " + connector + " did not reach " + state + " within "
                        + STATE_BOUND.toSeconds() + " s: " + connect.status(connector));
            }
            try {
                Thread.sleep(STATE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + connector + " to be " + state, e);
            }
        }
    }

    /** Soft-deletes (or deletes) the extra rows whose record is gone from Salesforce, in one transaction. */
    private void removeGone(Work w) throws SQLException {
        if (w.gone.isEmpty()) {
            return;
        }
        PostgresTable table = Objects.requireNonNull(PostgresTable.open(postgres, w.report.mapping()),
                () -> w.report.mapping().qualifiedTable() + " disappeared during the repair");
        boolean soft = w.report.mapping().deleteMode() == Mapping.DeleteMode.SOFT && table.softDeletes();
        String sql;
        if (soft) {
            StringBuilder set = new StringBuilder(PostgresTable.IS_DELETED + " = true");
            if (table.hasColumn("_hc_lastop")) {
                set.append(", _hc_lastop = 'UPDATED'");
            }
            String modstamp = w.report.mapping().column("SystemModstamp");
            if (table.hasColumn(modstamp)) {
                set.append(", ").append(Identifiers.quote(modstamp)).append(" = ")
                        .append("timestamptz".equals(table.columnType(modstamp)) ? "now()"
                                : "(now() AT TIME ZONE 'UTC')");
            }
            sql = "UPDATE " + table.sqlName() + " SET " + set + " WHERE sfid = ANY (?) AND "
                    + PostgresTable.IS_DELETED + " IS NOT TRUE";
        } else {
            sql = "DELETE FROM " + table.sqlName() + " WHERE sfid = ANY (?)";
        }
        boolean autoCommit = postgres.getAutoCommit();
        postgres.setAutoCommit(false);
        try (PreparedStatement s = postgres.prepareStatement(sql)) {
            s.setArray(1, postgres.createArrayOf("varchar", w.gone.toArray()));
            int changed = s.executeUpdate();
            postgres.commit();
            if (soft) {
                w.softDeleted = changed;
            } else {
                w.deleted = changed;
            }
        } catch (SQLException | RuntimeException e) {
            postgres.rollback();
            throw e;
        } finally {
            postgres.setAutoCommit(autoCommit);
        }
    }
}
