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
import dev.lockstep.cli.mapping.Mapping.DeleteMode;
import dev.lockstep.cli.mapping.Mapping.SyncMode;
import dev.lockstep.cli.mapping.Mapping.UpdateMode;
import dev.lockstep.common.SchemaStyle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

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

    static final Set<String> FILE_KEYS = Set.of("version", "connection", "mappings");
    static final Set<String> MAPPING_KEYS = Set.of("object_name", "config");
    static final Set<String> CONFIG_KEYS = Set.of(ACCESS, FIELDS, INDEXES, UPSERT_FIELD, POLLING_SECONDS,
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
        MappingFileReader reader = new MappingFileReader();
        MappingFile file = reader.file(root);
        if (!reader.problems().isEmpty()) {
            throw new MappingException(reader.problems()).in(source);
        }
        return new Parsed(file, reader.warnings());
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
        // "\n" on every platform, so a file written anywhere is the same file.
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(separators);
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        return printer;
    }

    /** The field of a list matching a name case-insensitively, as spelt in the list, or null. */
    static String find(List<String> fields, String name) {
        return fields.stream().filter(name::equalsIgnoreCase).findFirst().orElse(null);
    }
}
