package dev.lockstep.cli.mapping;

import static dev.lockstep.cli.mapping.MappingFiles.ACCESS;
import static dev.lockstep.cli.mapping.MappingFiles.ALL_FIELDS;
import static dev.lockstep.cli.mapping.MappingFiles.ALWAYS_MAPPED;
import static dev.lockstep.cli.mapping.MappingFiles.APPLIED_AT;
import static dev.lockstep.cli.mapping.MappingFiles.COLUMN_NAMES;
import static dev.lockstep.cli.mapping.MappingFiles.CONFIG_KEYS;
import static dev.lockstep.cli.mapping.MappingFiles.DELETE_MODE;
import static dev.lockstep.cli.mapping.MappingFiles.FIELDS;
import static dev.lockstep.cli.mapping.MappingFiles.ID;
import static dev.lockstep.cli.mapping.MappingFiles.INDEXES;
import static dev.lockstep.cli.mapping.MappingFiles.MAX_DAILY_API_CALLS;
import static dev.lockstep.cli.mapping.MappingFiles.NOTIFY_ENABLED;
import static dev.lockstep.cli.mapping.MappingFiles.POLLING_SECONDS;
import static dev.lockstep.cli.mapping.MappingFiles.SCHEMA;
import static dev.lockstep.cli.mapping.MappingFiles.SCHEMA_STYLE;
import static dev.lockstep.cli.mapping.MappingFiles.SYNC_MODE;
import static dev.lockstep.cli.mapping.MappingFiles.TABLE_NAME;
import static dev.lockstep.cli.mapping.MappingFiles.UNIQUE;
import static dev.lockstep.cli.mapping.MappingFiles.UPDATE_MODE;
import static dev.lockstep.cli.mapping.MappingFiles.UPSERT_FIELD;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.cli.mapping.Mapping.Access;
import dev.lockstep.cli.mapping.Mapping.DeleteMode;
import dev.lockstep.cli.mapping.Mapping.SyncMode;
import dev.lockstep.cli.mapping.Mapping.UpdateMode;
import dev.lockstep.common.SchemaStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads one mapping's {@code config} for {@link MappingFileReader}: Heroku Connect's keys and Lockstep's, each
 * checked, with the always-mapped fields added; problems and warnings go to the file's reader.
 */
final class MappingConfigReader {

    private final MappingFileReader reader;
    private final int position;
    private final String objectName;
    private final String where;
    private final JsonNode config;

    MappingConfigReader(MappingFileReader reader, int position, String objectName, String where, JsonNode config) {
        this.reader = reader;
        this.position = position;
        this.objectName = objectName;
        this.where = where;
        this.config = config;
    }

    private void error(String key, String problem, String fix) {
        reader.error(where, "config." + key + ": " + problem, fix);
    }

    Mapping read() {
        reader.unknownKeys(config, CONFIG_KEYS, where + ": ", "config.");
        Access access = access();
        boolean allFields = bool(ALL_FIELDS, false);
        List<String> fields = fields(allFields);
        Map<String, Boolean> indexes = indexes(fields, allFields);
        String upsertField = upsertField(fields, indexes, allFields);
        int pollingSeconds = integer(POLLING_SECONDS, Mapping.DEFAULT_POLLING_SECONDS, 1);
        boolean notifyEnabled = bool(NOTIFY_ENABLED, false);
        Map<String, JsonNode> kept = new LinkedHashMap<>();
        if (config.has(MAX_DAILY_API_CALLS)) {
            integer(MAX_DAILY_API_CALLS, 0, 0);
            kept.put(MAX_DAILY_API_CALLS, config.get(MAX_DAILY_API_CALLS));
        }
        if (config.has(APPLIED_AT)) {
            if (!config.get(APPLIED_AT).isTextual()) {
                error(APPLIED_AT, "must be a time stamp string", "remove it (Heroku Connect writes it on export)");
            }
            kept.put(APPLIED_AT, config.get(APPLIED_AT));
        }
        String schema = identifier(SCHEMA, Mapping.DEFAULT_SCHEMA);
        String table = identifier(TABLE_NAME, null);
        if (table == null) {
            table = Mapping.defaultTable(objectName);
            if (table.length() > Identifiers.MAX_BYTES) {
                error(TABLE_NAME, "the object's table name '" + table + "' is longer than Postgres' "
                        + Identifiers.MAX_BYTES + " bytes", "set a shorter table_name");
            }
        }
        Map<String, String> columnNames = columnNames(fields, allFields);
        SyncMode syncMode = choice(SYNC_MODE, SyncMode.class, SyncMode.STREAM,
                "stream (Change Data Capture) or poll (SystemModstamp polling, for objects without change"
                        + " events)");
        UpdateMode updateMode = choice(UPDATE_MODE, UpdateMode.class, UpdateMode.PARTIAL,
                "partial (changed fields only, no API calls) or full (records re-read)");
        DeleteMode deleteMode = choice(DELETE_MODE, DeleteMode.class, DeleteMode.SOFT,
                "soft (isdeleted = true, as Heroku Connect) or hard (the row is deleted)");
        SchemaStyle style = schemaStyle();
        Mapping mapping = new Mapping(position, objectName, access, fields, indexes, upsertField, pollingSeconds,
                notifyEnabled, schema, table, columnNames, allFields, syncMode, updateMode, deleteMode, style,
                kept);
        if (!allFields) {
            // With all_fields the columns are known only from describe; MappingCheck looks then.
            reader.problems().addAll(MappingCheck.columnProblems(mapping, fields));
        }
        if (mapping.readWrite() && upsertField == null) {
            reader.warnings().add(where + ": config.upsert_field is not set on a read_write mapping; rows inserted"
                    + " in Postgres are created in Salesforce without a key to match them by, so a retried insert"
                    + " can create a duplicate: set an External ID field with a unique index");
        }
        return mapping;
    }

    private Access access() {
        JsonNode node = config.path(ACCESS);
        String fix = "use read_only (Salesforce → Postgres) or read_write (both ways)";
        if (node.isMissingNode()) {
            error(ACCESS, "missing", fix);
            return Access.READ_ONLY;
        }
        for (Access access : Access.values()) {
            if (access.value().equals(node.asText())) {
                return access;
            }
        }
        error(ACCESS, node + " is not an access mode", fix);
        return Access.READ_ONLY;
    }

    /** The fields as written, with the always-mapped ones added in front when left out. */
    private List<String> fields(boolean allFields) {
        JsonNode node = config.path(FIELDS);
        List<String> written = new ArrayList<>();
        if (node.isMissingNode()) {
            if (!allFields) {
                error(FIELDS, "missing", "list the fields to map, e.g. \"fields\": {\"Name\": {}}, or set"
                        + " \"all_fields\": true");
            }
        } else if (!node.isObject()) {
            error(FIELDS, "must be an object of field names to {}, not " + MappingFileReader.kind(node),
                    "write \"fields\": {\"Name\": {}, \"Email\": {}}");
        } else {
            Map<String, String> seen = new HashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String field = entry.getKey();
                String key = FIELDS + "." + field;
                if (!Identifiers.isApiName(field)) {
                    error(key, "'" + field + "' is not a Salesforce API name",
                            "write the field's API name (e.g. Billing_Code__c), not its label");
                    continue;
                }
                String twin = seen.putIfAbsent(field.toLowerCase(Locale.ROOT), field);
                if (twin != null) {
                    error(key, "listed twice (also as " + twin + "; API names are case-insensitive)",
                            "keep one of them");
                    continue;
                }
                if (!entry.getValue().isObject()) {
                    error(key, "must be {}, not " + MappingFileReader.kind(entry.getValue()), "write \"" + field + "\": {}");
                } else {
                    reader.unknownKeys(entry.getValue(), Set.of(), where + ": ", "config." + key + ".");
                }
                written.add(field);
            }
        }
        List<String> fields = new ArrayList<>();
        for (String always : ALWAYS_MAPPED) {
            if (written.stream().noneMatch(always::equalsIgnoreCase)) {
                fields.add(always);
            }
        }
        fields.addAll(written);
        return fields;
    }

    private Map<String, Boolean> indexes(List<String> fields, boolean allFields) {
        Map<String, Boolean> indexes = new LinkedHashMap<>();
        JsonNode node = config.path(INDEXES);
        if (node.isMissingNode()) {
            return indexes;
        }
        if (!node.isObject()) {
            error(INDEXES, "must be an object of field names to {\"unique\": true|false}, not " + MappingFileReader.kind(node),
                    "write \"indexes\": {\"Email\": {\"unique\": false}}");
            return indexes;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String field = entry.getKey();
            String key = INDEXES + "." + field;
            JsonNode value = entry.getValue();
            JsonNode unique = value.path(UNIQUE);
            if (!value.isObject() || !(unique.isMissingNode() || unique.isBoolean())) {
                error(key, "must be {\"unique\": true} or {\"unique\": false}, not " + value,
                        "write \"" + field + "\": {\"unique\": false}");
                continue;
            }
            reader.unknownKeys(value, Set.of(UNIQUE), where + ": ", "config." + key + ".");
            String mapped = MappingFiles.find(fields, field);
            if (mapped == null && !allFields) {
                error(key, "indexes field " + field + ", which is not mapped",
                        "add \"" + field + "\": {} to config.fields or remove the index");
                continue;
            }
            if (ID.equalsIgnoreCase(field) && !unique.asBoolean(false)) {
                error(key, "the index on Id (column sfid) is always unique", "write \"Id\": {\"unique\": true}"
                        + " or leave the entry out");
                continue;
            }
            indexes.put(mapped != null ? mapped : field, unique.asBoolean(false));
        }
        return indexes;
    }

    private String upsertField(List<String> fields, Map<String, Boolean> indexes, boolean allFields) {
        JsonNode node = config.path(UPSERT_FIELD);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isArray() && node.size() > 1) {
            error(UPSERT_FIELD, "names " + node.size() + " fields " + node,
                    "keep one: a mapping has at most one upsert field, as in Heroku Connect");
            return null;
        }
        if (!node.isTextual()) {
            error(UPSERT_FIELD, "must be one field name, not " + MappingFileReader.kind(node),
                    "write \"upsert_field\": \"External_Id__c\"");
            return null;
        }
        String field = node.asText();
        if (ID.equalsIgnoreCase(field)) {
            error(UPSERT_FIELD, "Id cannot be the upsert field (sfid is already the key of synced rows)",
                    "name an External ID field, e.g. External_Id__c, or remove upsert_field");
            return null;
        }
        String mapped = MappingFiles.find(fields, field);
        if (mapped == null && !allFields) {
            error(UPSERT_FIELD, field + " is not mapped", "add \"" + field + "\": {} to config.fields");
            return null;
        }
        String name = mapped != null ? mapped : field;
        Boolean unique = indexes.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (!Boolean.TRUE.equals(unique)) {
            error(UPSERT_FIELD, name + " has no unique index (rows are matched by it, so it must be unique in"
                    + " Postgres too)", "add \"indexes\": {\"" + name + "\": {\"unique\": true}}");
        }
        return name;
    }

    private Map<String, String> columnNames(List<String> fields, boolean allFields) {
        Map<String, String> renames = new LinkedHashMap<>();
        JsonNode node = config.path(COLUMN_NAMES);
        if (node.isMissingNode()) {
            return renames;
        }
        if (!node.isObject()) {
            error(COLUMN_NAMES, "must be an object of field names to column names, not " + MappingFileReader.kind(node),
                    "write \"column_names\": {\"Billing_Code__c\": \"billing_code\"}");
            return renames;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String field = entry.getKey();
            String key = COLUMN_NAMES + "." + field;
            if (!entry.getValue().isTextual()) {
                error(key, "must be a column name, not " + MappingFileReader.kind(entry.getValue()),
                        "write \"" + field + "\": \"" + field.toLowerCase(Locale.ROOT) + "\"");
                continue;
            }
            String column = entry.getValue().asText();
            if (ID.equalsIgnoreCase(field)) {
                error(key, "Id is always the sfid column", "remove the entry");
                continue;
            }
            String mapped = MappingFiles.find(fields, field);
            if (mapped == null && !allFields) {
                error(key, "renames " + field + ", which is not mapped",
                        "add \"" + field + "\": {} to config.fields or remove the entry");
                continue;
            }
            String problem = Identifiers.problem(column);
            if (problem != null) {
                error(key, problem, "choose a lower-case name such as \""
                        + field.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "\"");
                continue;
            }
            renames.put(mapped != null ? mapped : field, column);
        }
        return renames;
    }

    private String identifier(String key, String fallback) {
        JsonNode node = config.path(key);
        if (node.isMissingNode()) {
            return fallback;
        }
        String problem = node.isTextual() ? Identifiers.problem(node.asText()) : "must be a name, not "
                + MappingFileReader.kind(node);
        if (problem != null) {
            error(key, problem, "use a lower-case name such as \"" + (fallback != null ? fallback
                    : Mapping.defaultTable(objectName)) + "\"");
            return fallback != null ? fallback : Mapping.defaultTable(objectName);
        }
        return node.asText();
    }

    private boolean bool(String key, boolean fallback) {
        JsonNode node = config.path(key);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            error(key, "must be true or false, not " + node, "write \"" + key + "\": " + !fallback);
            return fallback;
        }
        return node.asBoolean();
    }

    private int integer(String key, int fallback, int minimum) {
        JsonNode node = config.path(key);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (!node.isInt() || node.asInt() < minimum) {
            error(key, "must be a whole number of at least " + minimum + ", not " + node,
                    "write e.g. \"" + key + "\": " + Math.max(fallback, minimum));
            return fallback;
        }
        return node.asInt();
    }

    private <E extends Enum<E>> E choice(String key, Class<E> type, E fallback, String choices) {
        JsonNode node = config.path(key);
        if (node.isMissingNode()) {
            return fallback;
        }
        for (E value : type.getEnumConstants()) {
            if (value.name().toLowerCase(Locale.ROOT).equals(node.asText())) {
                return value;
            }
        }
        error(key, node + " is not one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")), "use " + choices);
        return fallback;
    }

    private SchemaStyle schemaStyle() {
        JsonNode node = config.path(SCHEMA_STYLE);
        if (node.isMissingNode()) {
            return SchemaStyle.HEROKU_CONNECT;
        }
        try {
            return SchemaStyle.of(node.asText());
        } catch (IllegalArgumentException e) {
            error(SCHEMA_STYLE, node + " is not one of " + SchemaStyle.choices(), "use heroku-connect (the"
                    + " types Heroku Connect creates) or native (numeric, timestamptz, text[], bytea)");
            return SchemaStyle.HEROKU_CONNECT;
        }
    }
}
