package dev.lockstep.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.cli.connect.ConnectRest;
import dev.lockstep.cli.connect.ConnectorConfigs;
import dev.lockstep.cli.connect.ConnectorTemplate;
import dev.lockstep.cli.connect.Deployment;
import dev.lockstep.cli.mapping.Identifiers;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingFile;
import dev.lockstep.cli.reconcile.PostgresTable;
import dev.lockstep.cli.reconcile.ValueComparison;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.rest.Soql;
import dev.lockstep.source.config.SalesforceSourceConnectorConfig;
import dev.lockstep.source.offsets.SourceOffsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gathers {@code lockstep status}: the deployment's connectors and tasks and the source's offsets from the Connect
 * REST API, row counts and failed rows from Postgres, and, when given, record counts and the newest change from
 * Salesforce and the newest dead-lettered records and sink lag from Kafka. A part that cannot be reached is named in
 * the report and the rest is still gathered; {@link StatusRules} then judges each mapping.
 */
public final class StatusCollector {

    /**
     * What status reads and how it judges.
     *
     * @param maxLag the lag above which a streamed mapping is behind (a polled one may add its polling interval)
     * @param errorWindow how far back dead letters and source errors count
     * @param errorsShown the most errors listed per mapping (and read per partition of an error topic)
     */
    public record Options(Duration maxLag, Duration errorWindow, int errorsShown) {

        public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(60);
        public static final Duration DEFAULT_ERROR_WINDOW = Duration.ofHours(24);
        public static final int DEFAULT_ERRORS_SHOWN = 5;
    }

    private final MappingFile file;
    private final Deployment deployment;
    private final ConnectRest connect;
    private final Connection postgres;
    private final SalesforceClient salesforce;
    private final KafkaTopics kafka;
    private final Options options;
    private final List<String> unreachable = new ArrayList<>();
    private final List<String> notMeasured = new ArrayList<>();

    /**
     * @param file the mappings (resolved when Salesforce is given, so names are spelt as describe spells them)
     * @param postgres null when it could not be reached (already named in {@code unreachable})
     * @param salesforce null without {@code --salesforce}
     * @param kafka null without {@code --bootstrap-servers}
     * @param unreachable what could not be reached before collecting started
     */
    public StatusCollector(MappingFile file, Deployment deployment, ConnectRest connect, Connection postgres,
            SalesforceClient salesforce, KafkaTopics kafka, Options options, List<String> unreachable) {
        this.file = file;
        this.deployment = deployment;
        this.connect = connect;
        this.postgres = postgres;
        this.salesforce = salesforce;
        this.kafka = kafka;
        this.options = options;
        this.unreachable.addAll(unreachable);
    }

    /** Collects the report. */
    public StatusReport collect(Instant now) {
        List<ConnectorTemplate> templates = ConnectorConfigs.of(file, deployment);
        Map<String, StatusReport.Connector> connectors = new LinkedHashMap<>();
        Map<String, JsonNode> offsets = new HashMap<>();
        Map<String, JsonNode> configs = new HashMap<>();
        boolean connectReached = attempt("Kafka Connect at " + connect.url(), () -> {
            for (ConnectorTemplate t : templates) {
                JsonNode status = connect.status(t.name());
                connectors.put(t.name(), connector(t, status));
                if (status != null) {
                    configs.put(t.name(), connect.config(t.name()));
                    if (isSource(t)) {
                        offsets.put(t.name(), connect.offsets(t.name()));
                    }
                }
            }
        });
        if (salesforce == null) {
            notMeasured.add("Salesforce record counts and lag: give --salesforce FILE");
        }
        if (kafka == null) {
            notMeasured.add("dead-letter records, source errors and sink lag: give --bootstrap-servers HOST:PORT");
        }
        List<StatusReport.DeadLetter> deadLetters = new ArrayList<>();
        Map<String, List<StatusReport.SourceError>> sourceErrors = new HashMap<>();
        if (kafka != null) {
            attempt("Kafka (dead-letter topic " + deployment.postgresDeadLetterTopic() + ")", () -> deadLetters.addAll(
                    kafka.deadLetters(deployment.postgresDeadLetterTopic(), options.errorsShown() * 10)));
            attempt("Kafka (error topic " + errorTopic() + ")",
                    () -> sourceErrors.putAll(kafka.sourceErrors(errorTopic(), options.errorsShown() * 10)));
        }
        Instant errorsSince = now.minus(options.errorWindow());
        List<StatusReport.MappingStatus> mappings = new ArrayList<>();
        for (Mapping mapping : file.mappings()) {
            String sink = ConnectorConfigs.sinkName(deployment, mapping);
            ConnectorTemplate source = templates.stream().filter(StatusCollector::isSource)
                    .filter(t -> reads(t, mapping.objectName())).findFirst().orElse(null);
            StatusReport.Progress progress = source == null || !connectReached ? null
                    : progress(offsets.get(source.name()), mapping.objectName());
            TableFacts table = postgres == null ? null : tableFacts(mapping);
            Long salesforceCount = null;
            StatusReport.Lag lag = null;
            if (salesforce != null) {
                Long[] count = new Long[1];
                attempt("Salesforce (" + mapping.objectName() + ")", () -> count[0] = salesforce.rest().count(
                        "SELECT COUNT() FROM " + Soql.identifier(mapping.objectName())));
                salesforceCount = count[0];
                if (table != null && table.exists) {
                    lag = lag(mapping, table, now);
                }
            }
            Long sinkBehind = null;
            if (kafka != null) {
                Long[] behind = new Long[1];
                String group = consumerGroup(sink, configs.get(sink));
                attempt("Kafka (consumer group " + group + ")", () -> behind[0] = kafka.consumerLag(group,
                        ConnectorConfigs.topic(deployment, mapping)));
                sinkBehind = behind[0];
            }
            if (sinkBehind != null) {
                lag = lag == null ? new StatusReport.Lag(null, null, null, sinkBehind)
                        : new StatusReport.Lag(lag.lag(), lag.salesforceNewest(), lag.postgresNewest(), sinkBehind);
            }
            String topic = ConnectorConfigs.topic(deployment, mapping);
            List<StatusReport.DeadLetter> letters = deadLetters.stream()
                    .filter(d -> sink.equals(d.connector()) || d.connector() == null && topic.equals(d.topic()))
                    .filter(d -> !d.at().isBefore(errorsSince)).toList();
            List<StatusReport.SourceError> errors = sourceErrors.getOrDefault(mapping.objectName(), List.of()).stream()
                    .filter(e -> !e.at().isBefore(errorsSince)).toList();
            StatusReport.Counts counts = new StatusReport.Counts(salesforceCount,
                    table == null ? null : table.live, table == null ? null : table.deleted,
                    table == null ? null : table.withoutSfid);
            StatusRules.Facts facts = new StatusRules.Facts(mapping, connectReached,
                    source == null ? null : connectors.get(source.name()), connectors.get(sink), progress,
                    table == null ? null : table.exists, counts, lag, letters.size(), errors.size(),
                    table == null ? null : table.failed, options.maxLag());
            StatusRules.Judgement judgement = StatusRules.judge(facts);
            mappings.add(new StatusReport.MappingStatus(mapping.objectName(), mapping.qualifiedTable(),
                    source == null ? null : source.name(), sink, progress, counts, lag,
                    letters.stream().limit(options.errorsShown()).toList(), letters.size(),
                    errors.stream().limit(options.errorsShown()).toList(),
                    table == null ? List.of() : table.failedRows, table == null ? null : table.failed,
                    judgement.health(), judgement.problems()));
        }
        return new StatusReport(now, new ArrayList<>(connectors.values()), mappings, unreachable, notMeasured);
    }

    private String errorTopic() {
        return deployment.topicPrefix() + ".errors";
    }

    private static boolean isSource(ConnectorTemplate t) {
        return t.config().getOrDefault("connector.class", "").startsWith("dev.lockstep.source.");
    }

    private static boolean reads(ConnectorTemplate source, String object) {
        return Arrays.stream(source.config().getOrDefault(SalesforceSourceConnectorConfig.OBJECT_INCLUDE_LIST_CONFIG,
                "").split(",")).map(String::trim).anyMatch(object::equalsIgnoreCase);
    }

    /** A sink's consumer group: Connect's {@code connect-<name>}, unless its configuration overrides it. */
    static String consumerGroup(String sink, JsonNode config) {
        String override = config == null ? null : config.path("consumer.override.group.id").asText(null);
        return override != null && !override.isBlank() ? override : "connect-" + sink;
    }

    /** Runs one part; a failure to reach something is recorded and the part skipped. */
    private boolean attempt(String what, Runnable part) {
        try {
            part.run();
            return true;
        } catch (RuntimeException e) {
            unreachable.add(what + ": " + firstLine(e.getMessage() == null ? e.toString() : e.getMessage()));
            return false;
        }
    }

    static StatusReport.Connector connector(ConnectorTemplate template, JsonNode status) {
        String type = isSource(template) ? "source" : "sink";
        if (status == null) {
            return new StatusReport.Connector(template.name(), type, StatusReport.Connector.MISSING, null, List.of());
        }
        List<StatusReport.Task> tasks = new ArrayList<>();
        for (JsonNode t : status.path("tasks")) {
            tasks.add(new StatusReport.Task(t.path("id").asInt(), t.path("state").asText(),
                    firstLine(t.path("trace").asText(null))));
        }
        JsonNode c = status.path("connector");
        return new StatusReport.Connector(template.name(), type, c.path("state").asText("UNASSIGNED"),
                firstLine(c.path("trace").asText(null)), tasks);
    }

    /** The first line of a trace or message (the exception and its message), or null. */
    static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }

    /** Where the source stands with an object, from its stored offset; null when the offsets are not known. */
    static StatusReport.Progress progress(JsonNode offsets, String object) {
        if (offsets == null) {
            return null;
        }
        for (JsonNode entry : offsets.path("offsets")) {
            if (!entry.path("partition").path(SourceOffsets.PARTITION_OBJECT).asText().equalsIgnoreCase(object)
                    || !entry.path("offset").isObject()) {
                continue;
            }
            JsonNode offset = entry.path("offset");
            String phase = offset.path(SourceOffsets.PHASE).asText();
            return switch (phase) {
                case "snapshot" -> new StatusReport.Progress("snapshot", count(offset, SourceOffsets.DONE),
                        count(offset, SourceOffsets.TOTAL), null);
                case "stream" -> new StatusReport.Progress("streaming", null, null,
                        millis(offset, SourceOffsets.COMMIT_TS));
                case "poll" -> new StatusReport.Progress("polling", null, null,
                        millis(offset, SourceOffsets.SYSTEMMODSTAMP));
                default -> new StatusReport.Progress(phase, null, null, millis(offset, SourceOffsets.SYSTEMMODSTAMP));
            };
        }
        return new StatusReport.Progress(StatusReport.Progress.NOT_STARTED, null, null, null);
    }

    private static Long count(JsonNode offset, String key) {
        return offset.path(key).isNumber() ? offset.path(key).asLong() : null;
    }

    private static Instant millis(JsonNode offset, String key) {
        return offset.path(key).isNumber() ? Instant.ofEpochMilli(offset.path(key).asLong()) : null;
    }

    /** What the table holds. */
    private static final class TableFacts {
        boolean exists;
        long live;
        long deleted;
        long withoutSfid;
        Long failed;
        List<StatusReport.FailedRow> failedRows = List.of();
        Instant newest;
    }

    private TableFacts tableFacts(Mapping mapping) {
        TableFacts facts = new TableFacts();
        boolean reached = attempt("Postgres (" + mapping.qualifiedTable() + ")", () -> {
            try {
                readTable(mapping, facts);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        return reached ? facts : null;
    }

    private void readTable(Mapping mapping, TableFacts facts) throws SQLException {
        PostgresTable table = PostgresTable.open(postgres, mapping);
        if (table == null) {
            return;
        }
        facts.exists = true;
        String deleted = table.softDeletes() ? PostgresTable.IS_DELETED + " IS TRUE" : "false";
        boolean lastOp = table.hasColumn("_hc_lastop");
        String modstamp = mapping.column("SystemModstamp");
        boolean hasModstamp = table.hasColumn(modstamp);
        String sql = "SELECT count(*) FILTER (WHERE sfid IS NOT NULL AND NOT (" + deleted + ")),"
                + " count(*) FILTER (WHERE " + deleted + "), count(*) FILTER (WHERE sfid IS NULL),"
                + (lastOp ? " count(*) FILTER (WHERE _hc_lastop = 'FAILED')," : " 0,")
                + (hasModstamp ? " max(" + Identifiers.quote(modstamp) + ")" : " NULL")
                + " FROM " + table.sqlName();
        try (PreparedStatement s = postgres.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            facts.live = rs.getLong(1);
            facts.deleted = rs.getLong(2);
            facts.withoutSfid = rs.getLong(3);
            facts.failed = lastOp ? rs.getLong(4) : null;
            facts.newest = hasModstamp ? asInstant(ValueComparison.postgresValue(rs, 5,
                    rs.getMetaData().getColumnTypeName(5))) : null;
        }
        if (facts.failed != null && facts.failed > 0) {
            List<StatusReport.FailedRow> rows = new ArrayList<>();
            try (PreparedStatement s = postgres.prepareStatement("SELECT sfid, id, "
                    + (table.hasColumn("_hc_err") ? "_hc_err" : "NULL") + " FROM " + table.sqlName()
                    + " WHERE _hc_lastop = 'FAILED' ORDER BY id DESC LIMIT " + options.errorsShown());
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new StatusReport.FailedRow(rs.getString(1), rs.getLong(2), rs.getString(3)));
                }
            }
            facts.failedRows = rows;
        }
    }

    private static Instant asInstant(Object value) {
        return value instanceof Instant i ? i : null;
    }

    /**
     * The lag of a mapping, measured by SystemModstamp (see {@link StatusRules#lag}); null when Salesforce could not
     * be asked.
     */
    private StatusReport.Lag lag(Mapping mapping, TableFacts table, Instant now) {
        // Deleted records count as changes where the table keeps them (soft deletes): queryAll sees them too.
        boolean all = mapping.deleteMode() == Mapping.DeleteMode.SOFT;
        String object = Soql.identifier(mapping.objectName());
        Function<String, Instant> first = where -> {
            Iterator<Map<String, Object>> rows = all
                    ? salesforce.rest().queryAllTyped(object, "SELECT SystemModstamp FROM " + object + where)
                    : salesforce.rest().queryTyped(object, "SELECT SystemModstamp FROM " + object + where);
            return rows.hasNext() ? asInstant(rows.next().get("SystemModstamp")) : null;
        };
        StatusReport.Lag[] lag = new StatusReport.Lag[1];
        attempt("Salesforce (" + mapping.objectName() + " SystemModstamp)", () -> {
            Instant newest = first.apply(" ORDER BY SystemModstamp DESC LIMIT 1");
            Duration behind = StatusRules.lag(now, newest, table.newest, after -> first.apply(
                    " WHERE SystemModstamp > " + Soql.literal(after.truncatedTo(ChronoUnit.SECONDS))
                            + " ORDER BY SystemModstamp ASC LIMIT 1"));
            lag[0] = new StatusReport.Lag(behind, newest, table.newest, null);
        });
        return lag[0];
    }
}
