package dev.lockstep.transforms;

import dev.lockstep.common.Envelope;
import dev.lockstep.common.FieldParameters;
import dev.lockstep.common.Version;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

/**
 * Turns a Salesforce change event into a row of a Heroku Connect table (ARCHITECTURE §4), a flat record the
 * Debezium JDBC sink upserts as it is.
 *
 * <ul>
 *   <li>Topic: the table name ({@code table.name}, else the lower-cased {@code source.object}, else the lower-cased
 *       last dot-separated part of the topic); the sink's {@code collection.name.format} adds the schema.</li>
 *   <li>Key: {@code {sfid}}, the Salesforce Id from {@code after.Id} or, for deletes, the input key's {@code Id}.</li>
 *   <li>{@code r}, {@code c}, {@code u}: the fields of {@code after} as columns ({@code Id} → {@code sfid}, others
 *       renamed by {@code column.renames} or lower-cased), their schemas and parameters kept but made optional,
 *       plus {@code _hc_lastop}: {@code INSERTED} for reads and creates (undeletes included), {@code UPDATED} for
 *       updates. Reads and creates with a null {@code IsDeleted} get {@code false}: a create event never carries
 *       the field, and the record it describes is live. Creates, updates and deletes without a SystemModstamp value
 *       (change events never carry one) get the commit time {@code source.ts_ms} as {@code systemmodstamp}, a
 *       field added when {@code after} has none (narrowed updates), so applications that poll
 *       {@code systemmodstamp} see every change.</li>
 *   <li>{@code d}: with {@code delete.mode=soft} the row {@code {sfid, isdeleted=true, systemmodstamp, _hc_lastop=
 *       UPDATED}}; with {@code hard} the key and a null value, which the sink ({@code delete.enabled=true}) turns
 *       into a DELETE.</li>
 *   <li>Tombstones are dropped: the delete event before each one has already been applied.</li>
 * </ul>
 *
 * <p>Works with schemas (Struct) and without (Map). Without a schema {@code systemmodstamp} is a
 * {@link Date}, the Java type of a Connect Timestamp, so a row holds the same values either way (the
 * transform runs on the sink side, after the converter, so nothing serializes the Date). Row schemas are cached per
 * {@code after} schema, which NarrowPartialUpdate makes distinct per kept field set. Records that are not change
 * events fail with a {@link DataException} naming the record, so the sink's error handling can send them to its
 * dead-letter topic.
 */
public class HerokuConnectRow<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    private static final String NAME = HerokuConnectRow.class.getSimpleName();

    /** The column of the Salesforce Id, the key of every row. */
    public static final String SFID_COLUMN = "sfid";
    /** Heroku Connect's column for the last sync operation on a row. */
    public static final String LASTOP_COLUMN = "_hc_lastop";
    /** {@link #LASTOP_COLUMN} of rows read or created from Salesforce. */
    public static final String LASTOP_INSERTED = "INSERTED";
    /** {@link #LASTOP_COLUMN} of rows updated or soft-deleted from Salesforce. */
    public static final String LASTOP_UPDATED = "UPDATED";

    /** The Salesforce fields the transform fills itself when an event lacks them. */
    static final String IS_DELETED = "IsDeleted";
    static final String SYSTEM_MODSTAMP = "SystemModstamp";

    public static final String TABLE_NAME_CONFIG = "table.name";
    private static final String TABLE_NAME_DOC = "The table the rows go to, without schema: the record's topic "
            + "becomes this name, and the JDBC sink's collection.name.format (e.g. 'salesforce.${topic}') adds the "
            + "schema. When not set: the Salesforce object name lower-cased (source.object, e.g. 'custom__c'), or "
            + "without one the last dot-separated part of the topic, lower-cased.";
    public static final String COLUMN_RENAMES_CONFIG = "column.renames";
    private static final String COLUMN_RENAMES_DOC = "Columns named otherwise than the lower-cased field name, as "
            + "'Field:column' pairs, e.g. 'Description:account_description'. Field names match case-insensitively; "
            + "Id is always the column sfid.";
    public static final String DELETE_MODE_CONFIG = "delete.mode";
    public static final String DELETE_MODE_SOFT = "soft";
    public static final String DELETE_MODE_HARD = "hard";
    private static final String DELETE_MODE_DOC = "What a deleted record becomes. 'soft' (Heroku Connect's "
            + "behaviour): the row stays, with isdeleted=true, systemmodstamp set to the deletion's commit time and "
            + "_hc_lastop=UPDATED. 'hard': the key with a null value, which the JDBC sink deletes (it needs "
            + "delete.enabled=true). Tombstones are dropped in both modes.";

    private static final String GROUP = "Row";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(TABLE_NAME_CONFIG, Type.STRING, null, new ColumnNames.TableValidator(), Importance.MEDIUM,
                    TABLE_NAME_DOC, GROUP, 1, Width.MEDIUM, "Table name")
            .define(COLUMN_RENAMES_CONFIG, Type.LIST, List.of(), new ColumnNames.RenamesValidator(), Importance.LOW,
                    COLUMN_RENAMES_DOC, GROUP, 2, Width.LONG, "Column renames")
            .define(DELETE_MODE_CONFIG, Type.STRING, DELETE_MODE_SOFT,
                    new OneOf(List.of(DELETE_MODE_SOFT, DELETE_MODE_HARD)), Importance.MEDIUM, DELETE_MODE_DOC,
                    GROUP, 3, Width.SHORT, "Delete mode");

    private static final Set<String> OPS = Set.of(Envelope.OP_READ, Envelope.OP_CREATE, Envelope.OP_UPDATE,
            Envelope.OP_DELETE);

    /** The parameters the source gives these fields, so that PostgresValues types the added columns alike. */
    private static final Schema IS_DELETED_SCHEMA = SchemaBuilder.bool().optional()
            .parameter(FieldParameters.TYPE, "boolean").build();
    private static final Schema SYSTEM_MODSTAMP_SCHEMA = Timestamp.builder().optional()
            .parameter(FieldParameters.TYPE, "datetime").build();

    private String tableName;
    private Map<String, String> renames;
    private final Map<String, String> columns = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean hardDeletes;
    private Cache<RowKey, Schema> rowSchemas;
    private Cache<Schema, Schema> keySchemas;

    /** What a row schema depends on besides the configuration. */
    private record RowKey(Schema after, boolean delete, boolean addModstamp) {}

    @Override
    public void configure(Map<String, ?> configs) {
        SimpleConfig config = new SimpleConfig(CONFIG_DEF, configs);
        String table = config.getString(TABLE_NAME_CONFIG);
        tableName = table == null || table.isEmpty() ? null : table;
        renames = ColumnNames.parseRenames(config.getList(COLUMN_RENAMES_CONFIG));
        columns.clear();
        hardDeletes = DELETE_MODE_HARD.equals(config.getString(DELETE_MODE_CONFIG).trim().toLowerCase(Locale.ROOT));
        rowSchemas = Records.newCache();
        keySchemas = Records.newCache();
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            // A tombstone: the delete event before it has been applied already, by either delete mode.
            return null;
        }
        ChangeEvent event = ChangeEvent.of(record, NAME);
        String op = event.op();
        if (!OPS.contains(op)) {
            throw new DataException(NAME + ": " + Records.describe(record) + " has op '" + op
                    + "', not one of r, c, u, d; apply it to the Salesforce source connector's topics only");
        }
        Object id = id(record, event);
        boolean delete = op.equals(Envelope.OP_DELETE);
        if (!delete && event.after() == null) {
            throw new DataException(NAME + ": " + Records.describe(record, id) + " has op " + op
                    + " but no 'after'; only deletes come without one");
        }
        String table = table(record, event);
        boolean hardDelete = delete && hardDeletes;
        Map<String, Object> row = hardDelete ? null
                : delete ? deletedRow(record, event, id) : row(record, event, op, id);
        if (!event.hasSchema()) {
            return record.newRecord(table, record.kafkaPartition(), null, Map.of(SFID_COLUMN, id), null, row,
                    record.timestamp(), record.headers());
        }
        Schema afterSchema = delete ? ((Struct) event.value()).schema().field(Envelope.AFTER).schema()
                : ((Struct) event.after()).schema();
        Schema keySchema = keySchema(afterSchema, record.key());
        Struct key = new Struct(keySchema).put(SFID_COLUMN, id);
        if (hardDelete) {
            return record.newRecord(table, record.kafkaPartition(), keySchema, key, null, null, record.timestamp(),
                    record.headers());
        }
        Schema rowSchema = rowSchema(record, id, afterSchema, delete,
                !delete && !op.equals(Envelope.OP_READ) && !hasField(afterSchema, SYSTEM_MODSTAMP), table);
        Struct value = new Struct(rowSchema);
        row.forEach(value::put);
        return record.newRecord(table, record.kafkaPartition(), keySchema, key, rowSchema, value,
                record.timestamp(), record.headers());
    }

    /** The Salesforce Id: {@code after.Id}, else (deletes) the input key's {@code Id}. */
    private static Object id(ConnectRecord<?> record, ChangeEvent event) {
        Object id = event.afterField(Envelope.ID);
        if (id == null) {
            id = Records.idOf(record.key());
        }
        if (id == null) {
            throw new DataException(NAME + ": " + Records.describe(record) + " has no Salesforce Id, neither in "
                    + "after.Id nor in its key; apply it to the Salesforce source connector's topics only");
        }
        return id;
    }

    private String table(ConnectRecord<?> record, ChangeEvent event) {
        if (tableName != null) {
            return tableName;
        }
        Object object = event.sourceField(Envelope.Source.OBJECT);
        String name = object != null ? object.toString()
                : record.topic().substring(record.topic().lastIndexOf('.') + 1);
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * The column of a Salesforce field: renamed, or its name lower-cased. Remembered per field name, since every
     * record of an object names the same fields.
     */
    private String column(String field) {
        return columns.computeIfAbsent(field, f -> {
            String lower = f.toLowerCase(Locale.ROOT);
            return renames.getOrDefault(lower, lower);
        });
    }

    private static boolean hasField(Schema schema, String name) {
        return schema.fields().stream().anyMatch(field -> field.name().equalsIgnoreCase(name));
    }

    /** The row of a read, create or update: columns in the order of {@code after}, then the ones added. */
    private Map<String, Object> row(R record, ChangeEvent event, String op, Object id) {
        boolean inserted = op.equals(Envelope.OP_READ) || op.equals(Envelope.OP_CREATE);
        boolean stampable = !op.equals(Envelope.OP_READ);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(SFID_COLUMN, id);
        boolean hasModstamp = false;
        for (Map.Entry<String, Object> field : fields(event.after()).entrySet()) {
            String name = field.getKey();
            Object value = field.getValue();
            if (name.equals(Envelope.ID)) {
                continue;
            }
            if (name.equalsIgnoreCase(IS_DELETED) && value == null && inserted) {
                value = Boolean.FALSE;
            }
            if (name.equalsIgnoreCase(SYSTEM_MODSTAMP)) {
                hasModstamp = true;
                if (value == null && stampable) {
                    value = commitTime(record, event, id);
                }
            }
            putColumn(record, id, row, name, value);
        }
        if (!hasModstamp && stampable) {
            putColumn(record, id, row, SYSTEM_MODSTAMP, commitTime(record, event, id));
        }
        row.put(LASTOP_COLUMN, inserted ? LASTOP_INSERTED : LASTOP_UPDATED);
        return row;
    }

    private Map<String, Object> deletedRow(R record, ChangeEvent event, Object id) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(SFID_COLUMN, id);
        row.put(column(IS_DELETED), Boolean.TRUE);
        row.put(column(SYSTEM_MODSTAMP), commitTime(record, event, id));
        row.put(LASTOP_COLUMN, LASTOP_UPDATED);
        return row;
    }

    private void putColumn(R record, Object id, Map<String, Object> row, String field, Object value) {
        String column = column(field);
        if (row.containsKey(column)) {
            throw collision(record, id, field, column);
        }
        row.put(column, value);
    }

    private DataException collision(R record, Object id, String field, String column) {
        return new DataException(NAME + ": field " + field + " of " + Records.describe(record, id)
                + " would be the column " + column + ", which another field already is; change "
                + COLUMN_RENAMES_CONFIG);
    }

    /** The fields of {@code after} by name, in order. */
    private static Map<String, Object> fields(Object after) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (after instanceof Struct struct) {
            for (Field field : struct.schema().fields()) {
                fields.put(field.name(), struct.get(field));
            }
        } else {
            ((Map<?, ?>) after).forEach((name, value) -> fields.put(String.valueOf(name), value));
        }
        return fields;
    }

    /** When Salesforce committed the change, {@code source.ts_ms}: as close to SystemModstamp as an event gets. */
    private static Date commitTime(ConnectRecord<?> record, ChangeEvent event, Object id) {
        if (!(event.sourceField(Envelope.Source.TS_MS) instanceof Number millis)) {
            throw new DataException(NAME + ": " + Records.describe(record, id) + " has no source."
                    + Envelope.Source.TS_MS + " (commit time) to set " + SYSTEM_MODSTAMP.toLowerCase(Locale.ROOT)
                    + " from; apply it to the Salesforce source connector's topics only");
        }
        return new Date(millis.longValue());
    }

    /** {@code {sfid}}, typed as the input's Id field (with its parameters), or as a plain string. */
    private Schema keySchema(Schema afterSchema, Object inputKey) {
        Field idField = afterSchema.field(Envelope.ID);
        if (idField == null && inputKey instanceof Struct key) {
            idField = key.schema().field(Envelope.ID);
        }
        Schema idSchema = idField == null ? Schema.STRING_SCHEMA : idField.schema();
        Schema keySchema = keySchemas.get(idSchema);
        if (keySchema == null) {
            keySchema = SchemaBuilder.struct().field(SFID_COLUMN, idSchema).build();
            keySchemas.put(idSchema, keySchema);
        }
        return keySchema;
    }

    private Schema rowSchema(R record, Object id, Schema afterSchema, boolean delete, boolean addModstamp,
            String table) {
        RowKey key = new RowKey(afterSchema, delete, addModstamp);
        Schema schema = rowSchemas.get(key);
        if (schema == null) {
            schema = buildRowSchema(record, id, afterSchema, delete, addModstamp, table);
            rowSchemas.put(key, schema);
        }
        return schema;
    }

    private Schema buildRowSchema(R record, Object id, Schema afterSchema, boolean delete, boolean addModstamp,
            String table) {
        // Named, so that the sink never takes the row for a Debezium envelope (it does so for an unnamed struct
        // with a field "op").
        SchemaBuilder row = Records.copyHeader(afterSchema, SchemaBuilder.struct());
        if (afterSchema.name() == null) {
            row.name(table + ".Value");
        }
        Field idField = afterSchema.field(Envelope.ID);
        row.field(SFID_COLUMN, idField == null ? Schema.OPTIONAL_STRING_SCHEMA : Records.optional(idField.schema()));
        if (delete) {
            row.field(column(IS_DELETED), IS_DELETED_SCHEMA);
            row.field(column(SYSTEM_MODSTAMP), SYSTEM_MODSTAMP_SCHEMA);
        } else {
            for (Field field : afterSchema.fields()) {
                if (!field.name().equals(Envelope.ID)) {
                    addColumn(record, id, row, field.name(), Records.optional(field.schema()));
                }
            }
            if (addModstamp) {
                addColumn(record, id, row, SYSTEM_MODSTAMP, SYSTEM_MODSTAMP_SCHEMA);
            }
        }
        row.field(LASTOP_COLUMN, Schema.OPTIONAL_STRING_SCHEMA);
        return row.build();
    }

    private void addColumn(R record, Object id, SchemaBuilder row, String field, Schema schema) {
        String column = column(field);
        if (row.field(column) != null) {
            throw collision(record, id, field, column);
        }
        row.field(column, schema);
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        rowSchemas = null;
        keySchemas = null;
    }

    @Override
    public String version() {
        return Version.get();
    }
}
