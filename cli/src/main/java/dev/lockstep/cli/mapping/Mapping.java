package dev.lockstep.cli.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.common.SchemaStyle;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One mapping of a mapping file: one Salesforce object synced with one Postgres table. The Heroku Connect export
 * keys ({@code access}, {@code fields}, {@code indexes}, {@code upsert_field}, {@code sf_polling_seconds},
 * {@code sf_notify_enabled}) keep their meaning; Lockstep's own options sit beside them in the same {@code config}.
 *
 * @param position the mapping's index in {@code mappings[]}, for messages
 * @param objectName the Salesforce object API name, e.g. {@code Account}
 * @param access read-only (Salesforce → Postgres) or read-write
 * @param fields the mapped Salesforce fields (API names as written in the file), in file order, with {@code Id},
 *     {@code IsDeleted} and {@code SystemModstamp} in front where the file leaves them out; once resolved by
 *     {@link MappingCheck}, the fields that are synced, spelt as in describe, in column order
 * @param indexes indexed fields (API names) → whether the index is unique
 * @param upsertField the External ID field read-write inserts upsert on, or null
 * @param pollingSeconds {@code sf_polling_seconds}: the polling interval when {@link #syncMode()} is poll
 * @param notifyEnabled {@code sf_notify_enabled} (accelerated polling in Heroku Connect; informational here)
 * @param schema the Postgres schema ({@code schema}, default {@value #DEFAULT_SCHEMA})
 * @param table the table name ({@code table_name}, default the lowercased object name)
 * @param columnNames column renames ({@code column_names}: field API name → column), on top of lowercasing
 * @param allFields {@code all_fields}: map every field of the object, including fields Salesforce gains later
 * @param syncMode {@code sync_mode}: stream (Change Data Capture, default) or poll (SystemModstamp polling)
 * @param updateMode {@code update_mode}: partial (default, no API calls) or full (re-read records)
 * @param deleteMode {@code delete_mode}: soft (default, isdeleted=true as Heroku Connect) or hard (row deleted)
 * @param schemaStyle {@code schema_style}: heroku-connect (default) or native column types
 * @param keptKeys Heroku Connect keys Lockstep keeps without using them ({@code sf_max_daily_api_calls},
 *     {@code applied_at}), as written, so that a file written back still holds them
 */
public record Mapping(
        int position,
        String objectName,
        Access access,
        List<String> fields,
        Map<String, Boolean> indexes,
        String upsertField,
        int pollingSeconds,
        boolean notifyEnabled,
        String schema,
        String table,
        Map<String, String> columnNames,
        boolean allFields,
        SyncMode syncMode,
        UpdateMode updateMode,
        DeleteMode deleteMode,
        SchemaStyle schemaStyle,
        Map<String, JsonNode> keptKeys) {

    public static final String DEFAULT_SCHEMA = "salesforce";
    public static final int DEFAULT_POLLING_SECONDS = 600;
    /** The column holding the Salesforce Id. */
    public static final String SFID = "sfid";

    public Mapping {
        fields = List.copyOf(fields);
        indexes = ordered(indexes);
        columnNames = ordered(columnNames);
        keptKeys = ordered(keptKeys);
    }

    /** A mapping without kept Heroku Connect keys. */
    public Mapping(int position, String objectName, Access access, List<String> fields, Map<String, Boolean> indexes,
            String upsertField, int pollingSeconds, boolean notifyEnabled, String schema, String table,
            Map<String, String> columnNames, boolean allFields, SyncMode syncMode, UpdateMode updateMode,
            DeleteMode deleteMode, SchemaStyle schemaStyle) {
        this(position, objectName, access, fields, indexes, upsertField, pollingSeconds, notifyEnabled, schema, table,
                columnNames, allFields, syncMode, updateMode, deleteMode, schemaStyle, Map.of());
    }

    /** An unmodifiable copy that keeps the file's order (messages, DDL and written files follow it). */
    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** The table a mapping gets without {@code table_name}: the lowercased object name, as Heroku Connect. */
    public static String defaultTable(String objectName) {
        return objectName.toLowerCase(Locale.ROOT);
    }

    /** Whether the mapping writes Postgres changes back to Salesforce. */
    public boolean readWrite() {
        return access == Access.READ_WRITE;
    }

    /** The column of a field: {@code sfid} for Id, the rename when one is configured, else the lowercased name. */
    public String column(String field) {
        if ("Id".equalsIgnoreCase(field)) {
            return SFID;
        }
        for (Map.Entry<String, String> rename : columnNames.entrySet()) {
            if (rename.getKey().equalsIgnoreCase(field)) {
                return rename.getValue();
            }
        }
        return field.toLowerCase(Locale.ROOT);
    }

    /** {@code schema.table}, for messages and SQL (both are plain lower-case identifiers). */
    public String qualifiedTable() {
        return schema + "." + table;
    }

    /** How the mapping is named in messages: {@code mappings[2] (Contact)}. */
    public String describe() {
        return "mappings[" + position + "] (" + objectName + ")";
    }

    /** {@code access}. */
    public enum Access {
        READ_ONLY, READ_WRITE;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code sync_mode}. */
    public enum SyncMode {
        STREAM, POLL;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code update_mode}; the source connector's {@code update.mode}. */
    public enum UpdateMode {
        PARTIAL, FULL;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code delete_mode}; the {@code HerokuConnectRow} transform's {@code delete.mode}. */
    public enum DeleteMode {
        SOFT, HARD;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
