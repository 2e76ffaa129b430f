package dev.lockstep.cli.mapping;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.cli.mapping.Mapping.Access;
import dev.lockstep.cli.mapping.Mapping.DeleteMode;
import dev.lockstep.cli.mapping.Mapping.SyncMode;
import dev.lockstep.cli.mapping.Mapping.UpdateMode;
import dev.lockstep.common.SchemaStyle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Reads, checks and writes mapping files. A Heroku Connect export ({@code heroku connect:export}) reads unchanged;
 * Lockstep's own keys sit beside Heroku Connect's in each mapping's {@code config}. Reading collects every problem
 * of a file into one {@link MappingException} and reports unknown keys as warnings; writing produces the export
 * shape again, with Lockstep's keys only where they differ from their defaults.
 *
 * <p>The fields Heroku Connect always maps ({@code Id}, {@code IsDeleted}, {@code SystemModstamp}) are added when a
 * mapping leaves them out; {@link MappingCheck} drops {@code IsDeleted} again for objects that have none.
 */
public final class MappingFiles {

    /** The format version this release reads and writes. */
    public static final int VERSION = 1;

    /** The fields Heroku Connect pre-selects in every mapping, in the order they are added. */
    public static final List<String> ALWAYS_MAPPED = List.of("Id", "IsDeleted", "SystemModstamp");

    static final String ID = "Id";
    static final String IS_DELETED = "IsDeleted";
    static final String SYSTEM_MODSTAMP = "SystemModstamp";

    // Heroku Connect's keys.
    static final String ACCESS = "access";
    static final String FIELDS = "fields";
    static final String INDEXES = "indexes";
    static final String UNIQUE = "unique";
    static final String UPSERT_FIELD = "upsert_field";
    static final String POLLING_SECONDS = "sf_polling_seconds";
    static final String NOTIFY_ENABLED = "sf_notify_enabled";
    static final String MAX_DAILY_API_CALLS = "sf_max_daily_api_calls";
    static final String APPLIED_AT = "applied_at";
    // Lockstep's keys.
    static final String SCHEMA = "schema";
    static final String TABLE_NAME = "table_name";
    static final String COLUMN_NAMES = "column_names";
    static final String ALL_FIELDS = "all_fields";
    static final String SYNC_MODE = "sync_mode";
    static final String UPDATE_MODE = "update_mode";
    static final String DELETE_MODE = "delete_mode";
    static final String SCHEMA_STYLE = "schema_style";

    private static final Set<String> FILE_KEYS = Set.of("version", "connection", "mappings");
    private static final Set<String> MAPPING_KEYS = Set.of("object_name", "config");
    private static final Set<String> CONFIG_KEYS = Set.of(ACCESS, FIELDS, INDEXES, UPSERT_FIELD, POLLING_SECONDS,
            NOTIFY_ENABLED, MAX_DAILY_API_CALLS, APPLIED_AT, SCHEMA, TABLE_NAME, COLUMN_NAMES, ALL_FIELDS, SYNC_MODE,
            UPDATE_MODE, DELETE_MODE, SCHEMA_STYLE);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private MappingFiles() {
    }

    /**
     * A file as read: its content and what was ignored in it.
     *
     * @param file the mappings
     * @param warnings unknown keys and other things worth saying, e.g.
     *     {@code mappings[1] (Contact): config.foo is not a known key; ignored}
     */
    public record Parsed(MappingFile file, List<String> warnings) {

        public Parsed {
            warnings = List.copyOf(warnings);
        }
    }

    /** Reads and checks a mapping file; problems name the file as given. */
    public static Parsed read(Path path) throws IOException, MappingException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    /**
     * Parses and checks a mapping file's text.
     *
     * @param source how problems name the file, e.g. its path
     */
    public static Parsed parse(String json, String source) throws MappingException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new MappingException(List.of(source + ": " + where + "cannot be read as JSON ("
                    + e.getOriginalMessage() + "); correct the file at that place"));
        }
        Reader reader = new Reader();
        MappingFile file = reader.file(root);
        if (!reader.problems.isEmpty()) {
            throw new MappingException(reader.problems).in(source);
        }
        return new Parsed(file, reader.warnings);
    }

    /** Writes a mapping file in the export shape (the inverse of {@link #parse}, up to ignored keys). */
    public static String write(MappingFile file) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("version", file.version());
        if (!file.connection().isEmpty()) {
            root.set("connection", file.connection());
        }
        ArrayNode mappings = root.putArray("mappings");
        file.mappings().forEach(mapping -> mappings.add(toJson(mapping)));
        try {
            return JSON.writer(prettyPrinter()).writeValueAsString(root) + "\n";
        } catch (JacksonException e) {
            throw new IllegalStateException("a tree of plain JSON nodes always serialises", e);
        }
    }

    /** Writes a mapping file to a path, replacing it. */
    public static void write(MappingFile file, Path path) throws IOException {
        Files.writeString(path, write(file), StandardCharsets.UTF_8);
    }

    private static ObjectNode toJson(Mapping mapping) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("object_name", mapping.objectName());
        ObjectNode config = node.putObject("config");
        config.put(ACCESS, mapping.access().value());
        config.put(NOTIFY_ENABLED, mapping.notifyEnabled());
        config.put(POLLING_SECONDS, mapping.pollingSeconds());
        if (mapping.keptKeys().containsKey(MAX_DAILY_API_CALLS)) {
            config.set(MAX_DAILY_API_CALLS, mapping.keptKeys().get(MAX_DAILY_API_CALLS));
        }
        if (mapping.upsertField() != null) {
            config.put(UPSERT_FIELD, mapping.upsertField());
        }
        ObjectNode fields = config.putObject(FIELDS);
        mapping.fields().forEach(fields::putObject);
        if (!mapping.indexes().isEmpty()) {
            ObjectNode indexes = config.putObject(INDEXES);
            mapping.indexes().forEach((field, unique) -> indexes.putObject(field).put(UNIQUE, unique));
        }
        if (mapping.keptKeys().containsKey(APPLIED_AT)) {
            config.set(APPLIED_AT, mapping.keptKeys().get(APPLIED_AT));
        }
        if (!mapping.schema().equals(Mapping.DEFAULT_SCHEMA)) {
            config.put(SCHEMA, mapping.schema());
        }
        if (!mapping.table().equals(Mapping.defaultTable(mapping.objectName()))) {
            config.put(TABLE_NAME, mapping.table());
        }
        if (!mapping.columnNames().isEmpty()) {
            ObjectNode renames = config.putObject(COLUMN_NAMES);
            mapping.columnNames().forEach(renames::put);
        }
        if (mapping.allFields()) {
            config.put(ALL_FIELDS, true);
        }
        if (mapping.syncMode() != SyncMode.STREAM) {
            config.put(SYNC_MODE, mapping.syncMode().value());
        }
        if (mapping.updateMode() != UpdateMode.PARTIAL) {
            config.put(UPDATE_MODE, mapping.updateMode().value());
        }
        if (mapping.deleteMode() != DeleteMode.SOFT) {
            config.put(DELETE_MODE, mapping.deleteMode().value());
        }
        if (mapping.schemaStyle() != SchemaStyle.HEROKU_CONNECT) {
            config.put(SCHEMA_STYLE, mapping.schemaStyle().value());
        }
        return node;
    }

    /** Two-space indentation, {@code "key": value} and {@code {}} for empty objects, as Heroku Connect's exports. */
    private static DefaultPrettyPrinter prettyPrinter() {
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
        printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        return printer;
    }

    /** One read of one file: the problems and warnings found so far. */
    private static final class Reader {

        private final List<String> problems = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        private void error(String where, String problem, String fix) {
            problems.add((where.isEmpty() ? "" : where + ": ") + problem + "; " + fix);
        }

        private void unknownKeys(JsonNode object, Set<String> known, String where, String prefix) {
            for (Map.Entry<String, JsonNode> property : object.properties()) {
                String name = property.getKey();
                if (!known.contains(name)) {
                    warnings.add(where + prefix + name + " is not a known key; ignored");
                }
            }
        }

        MappingFile file(JsonNode root) {
            if (!root.isObject()) {
                error("", "holds " + kind(root) + ", not a JSON object",
                        "a mapping file is an object with \"version\": 1 and \"mappings\": [...]");
                return null;
            }
            unknownKeys(root, FILE_KEYS, "", "");
            JsonNode version = root.path("version");
            if (version.isMissingNode()) {
                error("version", "missing", "add \"version\": 1");
            } else if (!version.isInt() || version.asInt() != VERSION) {
                error("version", version + " is not supported", "this release reads version 1, Heroku Connect's"
                        + " export format");
            }
            JsonNode connection = root.path("connection");
            if (connection.isMissingNode() || connection.isNull()) {
                connection = JsonNodeFactory.instance.objectNode();
            } else if (!connection.isObject()) {
                error("connection", "must be an object, not " + kind(connection),
                        "remove it or keep the connection block of a Heroku Connect export as it is");
            }
            JsonNode mappingsNode = root.path("mappings");
            List<Mapping> mappings = new ArrayList<>();
            if (!mappingsNode.isArray()) {
                error("mappings", mappingsNode.isMissingNode() ? "missing"
                        : "must be an array, not " + kind(mappingsNode),
                        "add \"mappings\": [{\"object_name\": \"Account\", \"config\": {...}}]");
            } else if (mappingsNode.isEmpty()) {
                error("mappings", "empty", "add at least one mapping, e.g. {\"object_name\": \"Account\", \"config\":"
                        + " {\"access\": \"read_only\", \"fields\": {\"Name\": {}}}}");
            } else {
                for (int i = 0; i < mappingsNode.size(); i++) {
                    Mapping mapping = mapping(i, mappingsNode.get(i));
                    if (mapping != null) {
                        mappings.add(mapping);
                    }
                }
                duplicateTables(mappings);
            }
            return new MappingFile(version.asInt(VERSION), connection, mappings);
        }

        private Mapping mapping(int position, JsonNode node) {
            String at = "mappings[" + position + "]";
            if (!node.isObject()) {
                error(at, "must be an object, not " + kind(node), "write {\"object_name\": ..., \"config\": {...}}");
                return null;
            }
            JsonNode nameNode = node.path("object_name");
            String objectName = nameNode.asText("");
            if (!nameNode.isTextual() || objectName.isBlank()) {
                error(at, "object_name: missing", "add the Salesforce object's API name, e.g. \"object_name\": "
                        + "\"Account\"");
                return null;
            }
            String where = at + " (" + objectName + ")";
            if (!Identifiers.isApiName(objectName)) {
                error(where, "object_name: '" + objectName + "' is not a Salesforce API name",
                        "write the API name (letters, digits and underscores, e.g. Invoice__c), not the label");
                return null;
            }
            unknownKeys(node, MAPPING_KEYS, where + ": ", "");
            JsonNode config = node.path("config");
            if (!config.isObject()) {
                error(where, "config: " + (config.isMissingNode() ? "missing" : "must be an object, not "
                        + kind(config)), "add \"config\": {\"access\": \"read_only\", \"fields\": {...}}");
                return null;
            }
            return new ConfigReader(this, position, objectName, where, config).read();
        }

        /** Two mappings into one table would overwrite each other's rows. */
        private void duplicateTables(List<Mapping> mappings) {
            Map<String, Mapping> byTable = new HashMap<>();
            for (Mapping mapping : mappings) {
                Mapping first = byTable.putIfAbsent(mapping.qualifiedTable(), mapping);
                if (first == null) {
                    continue;
                }
                if (first.objectName().equalsIgnoreCase(mapping.objectName())) {
                    error(mapping.describe(), "object_name: " + mapping.objectName() + " is mapped twice into "
                            + mapping.qualifiedTable() + " (also " + first.describe() + ")",
                            "remove one of the two mappings, or give one a table_name of its own");
                } else {
                    error(mapping.describe(), "config.table_name: " + mapping.qualifiedTable()
                            + " is already the table of " + first.describe(), "set a different table_name");
                }
            }
        }
    }

    /** Reads one mapping's {@code config}. */
    private static final class ConfigReader {

        private final Reader reader;
        private final int position;
        private final String objectName;
        private final String where;
        private final JsonNode config;

        ConfigReader(Reader reader, int position, String objectName, String where, JsonNode config) {
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
                reader.problems.addAll(MappingCheck.columnProblems(mapping, fields));
            }
            if (mapping.readWrite() && upsertField == null) {
                reader.warnings.add(where + ": config.upsert_field is not set on a read_write mapping; rows inserted"
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
                error(FIELDS, "must be an object of field names to {}, not " + kind(node),
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
                        error(key, "must be {}, not " + kind(entry.getValue()), "write \"" + field + "\": {}");
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
                error(INDEXES, "must be an object of field names to {\"unique\": true|false}, not " + kind(node),
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
                String mapped = find(fields, field);
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
                error(UPSERT_FIELD, "must be one field name, not " + kind(node),
                        "write \"upsert_field\": \"External_Id__c\"");
                return null;
            }
            String field = node.asText();
            if (ID.equalsIgnoreCase(field)) {
                error(UPSERT_FIELD, "Id cannot be the upsert field (sfid is already the key of synced rows)",
                        "name an External ID field, e.g. External_Id__c, or remove upsert_field");
                return null;
            }
            String mapped = find(fields, field);
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
                error(COLUMN_NAMES, "must be an object of field names to column names, not " + kind(node),
                        "write \"column_names\": {\"Billing_Code__c\": \"billing_code\"}");
                return renames;
            }
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                String field = entry.getKey();
                String key = COLUMN_NAMES + "." + field;
                if (!entry.getValue().isTextual()) {
                    error(key, "must be a column name, not " + kind(entry.getValue()),
                            "write \"" + field + "\": \"" + field.toLowerCase(Locale.ROOT) + "\"");
                    continue;
                }
                String column = entry.getValue().asText();
                if (ID.equalsIgnoreCase(field)) {
                    error(key, "Id is always the sfid column", "remove the entry");
                    continue;
                }
                String mapped = find(fields, field);
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
                    + kind(node);
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

    /** The field of a list matching a name case-insensitively, as spelt in the list, or null. */
    static String find(List<String> fields, String name) {
        return fields.stream().filter(name::equalsIgnoreCase).findFirst().orElse(null);
    }

    private static String kind(JsonNode node) {
        if (node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
