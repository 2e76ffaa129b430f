package dev.lockstep.cli.connect;

import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The connector configurations of a mapping file, built from the templates in {@code connect-configs/}: one
 * Salesforce source connector per update mode in use (normally one) reading every mapped object, and one Debezium
 * JDBC sink per mapping writing its table through the {@code NarrowPartialUpdate → HerokuConnectRow →
 * PostgresValues} transforms. One sink per table keeps each table's column renames, delete mode and schema style in
 * its own transform settings, and lets a failing table stop alone, as a Heroku Connect mapping does.
 *
 * <p>Sinks come first in {@link #of}'s result, so they are running before the source writes its first record.
 */
public final class ConnectorConfigs {

    static final String SOURCE_TEMPLATE = "salesforce-source.json";
    static final String SINK_TEMPLATE = "salesforce-postgres-sink.json";

    private ConnectorConfigs() {
    }

    /** Every connector of {@code file} deployed to {@code target}, sinks first. */
    public static List<ConnectorTemplate> of(MappingFile file, Deployment target) {
        List<ConnectorTemplate> connectors = new ArrayList<>();
        for (Mapping mapping : file.mappings()) {
            connectors.add(postgresSink(mapping, target));
        }
        sources(file.mappings(), sourceName(target)).forEach((name, mappings) ->
                connectors.add(salesforceSource(name, mappings, mappings.get(0).updateMode(), target)));
        return connectors;
    }

    /**
     * The Salesforce source connectors of some mappings: one per update mode in use, named {@code sourceName}, or
     * {@code <sourceName>-partial} and {@code <sourceName>-full} when both modes are used, each with its mappings.
     */
    public static Map<String, List<Mapping>> sources(List<Mapping> mappings, String sourceName) {
        Map<Mapping.UpdateMode, List<Mapping>> byUpdateMode = new TreeMap<>(mappings.stream()
                .collect(Collectors.groupingBy(Mapping::updateMode)));
        Map<String, List<Mapping>> sources = new LinkedHashMap<>();
        byUpdateMode.forEach((mode, group) -> sources.put(
                byUpdateMode.size() == 1 ? sourceName : sourceName + "-" + mode.value(), group));
        return sources;
    }

    /** The objects a source connector reads for some mappings ({@code object.include.list}), in mapping order. */
    public static List<String> objects(List<Mapping> mappings) {
        return mappings.stream().map(Mapping::objectName).distinct().toList();
    }

    /** The source connector's name, {@code <name>-salesforce}. */
    public static String sourceName(Deployment target) {
        return sourceName(target.name());
    }

    /** The source connector's name in the deployment named {@code name}: {@code <name>-salesforce}. */
    public static String sourceName(String name) {
        return name + "-salesforce";
    }

    /** The name of the sink writing {@code mapping}'s table, {@code <name>-postgres-<schema>-<table>}. */
    public static String sinkName(Deployment target, Mapping mapping) {
        return target.name() + "-postgres-" + mapping.schema() + "-" + mapping.table();
    }

    /** The topic of {@code mapping}'s object. */
    public static String topic(Deployment target, Mapping mapping) {
        return target.topicPrefix() + "." + mapping.objectName();
    }

    static ConnectorTemplate postgresSink(Mapping mapping, Deployment target) {
        Map<String, String> values = new HashMap<>();
        values.put("CONNECTOR_NAME", sinkName(target, mapping));
        values.put("TOPICS", topic(target, mapping));
        values.put("JDBC_URL", target.syncJdbcUrl());
        values.put("POSTGRES_USER", nullToEmpty(target.postgresUser()));
        values.put("POSTGRES_PASSWORD", nullToEmpty(target.postgresPassword()));
        values.put("SCHEMA", mapping.schema());
        values.put("TABLE", mapping.table());
        values.put("COLUMN_RENAMES", mapping.columnNames().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(",")));
        values.put("DELETE_MODE", mapping.deleteMode().value());
        values.put("SCHEMA_STYLE", mapping.schemaStyle().value());
        values.put("DLQ_TOPIC", target.postgresDeadLetterTopic());
        values.put("REPLICATION_FACTOR", Integer.toString(target.replicationFactor()));
        ConnectorTemplate sink = ConnectorTemplate.load(SINK_TEMPLATE, values);
        if (mapping.allFields()) {
            return sink;
        }
        // The topic may carry more fields than this mapping (another mapping of the object wants them): the sink
        // writes exactly the mapped columns, so its schema evolution never adds columns nobody mapped.
        Set<String> columns = new LinkedHashSet<>();
        mapping.fields().forEach(field -> columns.add(mapping.column(field)));
        columns.addAll(List.of(Mapping.SFID, "isdeleted", "systemmodstamp", "_hc_lastop"));
        return sink.with(Map.of(
                "transforms", "narrow,row,columns,values",
                "transforms.columns.type", "org.apache.kafka.connect.transforms.ReplaceField$Value",
                "transforms.columns.include", String.join(",", columns)));
    }

    static ConnectorTemplate salesforceSource(String name, List<Mapping> mappings, Mapping.UpdateMode updateMode,
            Deployment target) {
        Map<String, String> values = new HashMap<>();
        values.put("CONNECTOR_NAME", name);
        values.put("TASKS_MAX", Integer.toString(target.sourceTasks()));
        values.put("OBJECTS", String.join(",", objects(mappings)));
        values.put("TOPIC_PREFIX", target.topicPrefix());
        values.put("REPLICATION_FACTOR", Integer.toString(target.replicationFactor()));
        // The template's connection keys are an example for users; the deployment's own keys replace them.
        values.put("SALESFORCE_LOGIN_URL", "");
        values.put("SALESFORCE_CLIENT_ID", "");
        values.put("SALESFORCE_CLIENT_SECRET", "");
        ConnectorTemplate template = ConnectorTemplate.load(SOURCE_TEMPLATE, values);

        Map<String, String> config = new LinkedHashMap<>();
        template.config().forEach((key, value) -> {
            if (!key.startsWith("salesforce.")) {
                config.put(key, value);
            }
        });
        config.putAll(new TreeMap<>(target.salesforce()));
        config.put("update.mode", updateMode.value());
        Set<String> allFieldObjects = mappings.stream().filter(Mapping::allFields).map(Mapping::objectName)
                .collect(Collectors.toSet());
        String fields = mappings.stream()
                .filter(m -> !allFieldObjects.contains(m.objectName()))
                .flatMap(m -> m.fields().stream().map(f -> m.objectName() + "." + f))
                .distinct()
                .collect(Collectors.joining(","));
        if (!fields.isEmpty()) {
            config.put("field.include.list", fields);
        }
        List<Mapping> polled = mappings.stream().filter(m -> m.syncMode() == Mapping.SyncMode.POLL).toList();
        if (!polled.isEmpty()) {
            config.put("object.poll.list",
                    polled.stream().map(Mapping::objectName).distinct().collect(Collectors.joining(",")));
            // One interval serves every polled object of a connector: the shortest one asked for.
            int seconds = polled.stream().mapToInt(Mapping::pollingSeconds).min().orElseThrow();
            config.put("poll.interval.ms", Long.toString(seconds * 1000L));
        }
        return new ConnectorTemplate(name, config);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
