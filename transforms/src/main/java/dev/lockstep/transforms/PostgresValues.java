package dev.lockstep.transforms;

import dev.lockstep.common.ColumnType;
import dev.lockstep.common.Envelope;
import dev.lockstep.common.FieldParameters;
import dev.lockstep.common.SchemaStyle;
import dev.lockstep.common.Version;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

/**
 * Gives every field of a Heroku Connect row (the output of {@link HerokuConnectRow}) the value and Connect schema
 * that make the Debezium JDBC sink write it to, and create it through schema evolution as, the column type
 * {@link ColumnType#of} chooses for its Salesforce type ({@code salesforce.type}, {@code salesforce.length},
 * {@code salesforce.precision}, {@code salesforce.scale} parameters) in the configured {@link SchemaStyle}: the
 * same table the command line's schema management creates.
 *
 * <ul>
 *   <li>{@code heroku-connect}: currency, double and percent → FLOAT64 ({@code double precision}); datetime →
 *       Connect Timestamp ({@code timestamp}, UTC); multi-select picklists → {@code ;}-joined STRING
 *       ({@code varchar(4099)}); base64 → base64 STRING ({@code text}).</li>
 *   <li>{@code native}: currency, double and percent with a precision → Decimal at the field's scale
 *       ({@code numeric(p,s)}), refused when that would round the value; datetime →
 *       {@code io.debezium.time.ZonedTimestamp}, ISO-8601 in UTC ({@code timestamptz}); multi-select picklists →
 *       ARRAY of STRING ({@code text[]}); base64 → BYTES ({@code bytea}).</li>
 *   <li>Both: {@code varchar(n)} columns get the parameters {@code __debezium.source.column.type=VARCHAR} and
 *       {@code __debezium.source.column.length=n}; {@code _hc_lastop} is {@code varchar(32)}; the Salesforce
 *       parameters stay. Text holding U+0000, which Postgres cannot store, and text longer than its varchar
 *       column are refused.</li>
 * </ul>
 *
 * <p>The key ({@code {sfid}}) is converted alike. Fields without a Salesforce type pass unchanged; tombstones pass
 * unchanged. Without a schema only the system columns have a known type ({@code sfid}, {@code isdeleted},
 * {@code systemmodstamp}, {@code _hc_lastop}); other values are converted by their Java type (see
 * {@code docs/transforms.md}). A value that cannot be converted throws a {@link DataException} naming the record
 * (topic, partition, offset, Salesforce Id), the field and the value, so that the sink's error handling sends the
 * record to its dead-letter topic; nothing is dropped. Converted schemas are cached per input schema.
 */
public class PostgresValues<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    private static final String NAME = PostgresValues.class.getSimpleName();

    public static final String SCHEMA_STYLE_CONFIG = "schema.style";
    private static final String SCHEMA_STYLE_DOC = "The column types values are written as; use the style the "
            + "tables were created with. 'heroku-connect': Heroku Connect's types (double precision for numbers, "
            + "timestamp in UTC for datetimes, varchar for multi-select picklists, text for base64). 'native': "
            + "numeric(p,s), timestamptz, text[] and bytea.";

    /** Heroku Connect's type of {@code _hc_lastop}. */
    static final ColumnType LASTOP_TYPE = new ColumnType(ColumnType.VARCHAR, 32, 0, 0);

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(SCHEMA_STYLE_CONFIG, Type.STRING, SchemaStyle.HEROKU_CONNECT.value(),
                    new OneOf(Arrays.stream(SchemaStyle.values()).map(SchemaStyle::value).toList()),
                    Importance.HIGH, SCHEMA_STYLE_DOC, "Values", 1, Width.SHORT, "Schema style");

    private SchemaStyle style;
    /** Columns whose type a schemaless row cannot say: the ones the sync itself writes. */
    private Map<String, ColumnType> systemColumns;
    private Cache<Schema, Plan> plans;

    /** How one field is converted: to a column type, or (type null) left as it is. */
    private record Column(Field field, ColumnType type, String salesforceType) {}

    /** The converted schema of a row or key schema, and how each of its fields is converted. */
    private record Plan(Schema schema, List<Column> columns) {}

    @Override
    public void configure(Map<String, ?> configs) {
        SimpleConfig config = new SimpleConfig(CONFIG_DEF, configs);
        style = SchemaStyle.of(config.getString(SCHEMA_STYLE_CONFIG));
        systemColumns = Map.of(
                HerokuConnectRow.SFID_COLUMN, ColumnType.of("id", ColumnType.ID_LENGTH, 0, 0, style),
                HerokuConnectRow.IS_DELETED.toLowerCase(Locale.ROOT),
                ColumnType.of("boolean", 0, 0, 0, style),
                HerokuConnectRow.SYSTEM_MODSTAMP.toLowerCase(Locale.ROOT),
                ColumnType.of("datetime", 0, 0, 0, style),
                HerokuConnectRow.LASTOP_COLUMN, LASTOP_TYPE);
        plans = Records.newCache();
    }

    @Override
    public R apply(R record) {
        Object value = record.value();
        if (value == null) {
            return record;
        }
        Object id = Records.idOf(record.key());
        if (value instanceof Struct row) {
            if (row.schema().field(Envelope.AFTER) != null && row.schema().field(Envelope.SOURCE) != null) {
                throw new DataException(NAME + " expects a flat row but " + Records.describe(record, id)
                        + " is a change-event envelope; put HerokuConnectRow before it in the transforms chain");
            }
            Struct key = record.key() instanceof Struct k ? convert(record, id, k) : null;
            Struct converted = convert(record, id, row);
            return record.newRecord(record.topic(), record.kafkaPartition(),
                    key == null ? record.keySchema() : key.schema(), key == null ? record.key() : key,
                    converted.schema(), converted, record.timestamp(), record.headers());
        }
        if (value instanceof Map<?, ?> row) {
            Object key = record.key() instanceof Map<?, ?> k ? convert(record, id, k) : record.key();
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), key, null,
                    convert(record, id, row), record.timestamp(), record.headers());
        }
        throw new DataException(NAME + " expects a flat row (Struct or Map) but " + Records.describe(record, id)
                + " has a value of type " + value.getClass().getName()
                + "; put HerokuConnectRow before it in the transforms chain");
    }

    private Struct convert(R record, Object id, Struct in) {
        Plan plan = plans.get(in.schema());
        if (plan == null) {
            plan = plan(record, id, in.schema());
            plans.put(in.schema(), plan);
        }
        Struct out = new Struct(plan.schema());
        for (Column column : plan.columns()) {
            Object value = in.get(column.field());
            out.put(column.field().name(), column.type() == null ? check(record, id, column.field().name(), value)
                    : convert(record, id, column.field().name(), column.salesforceType(), column.type(), value));
        }
        return out;
    }

    private Map<Object, Object> convert(R record, Object id, Map<?, ?> in) {
        Map<Object, Object> out = new LinkedHashMap<>();
        in.forEach((name, value) -> {
            ColumnType type = systemColumns.get(String.valueOf(name));
            Object converted;
            if (type != null) {
                converted = convert(record, id, String.valueOf(name), null, type, value);
            } else {
                try {
                    converted = ColumnValues.untyped(value, style);
                } catch (ColumnValues.BadValue e) {
                    throw badValue(record, id, String.valueOf(name), null, null, value, e);
                }
            }
            out.put(name, converted);
        });
        return out;
    }

    private Object convert(R record, Object id, String field, String salesforceType, ColumnType type, Object value) {
        try {
            return ColumnValues.convert(value, type);
        } catch (ColumnValues.BadValue e) {
            throw badValue(record, id, field, salesforceType, type, value, e);
        }
    }

    private Object check(R record, Object id, String field, Object value) {
        try {
            return ColumnValues.checked(value);
        } catch (ColumnValues.BadValue e) {
            throw badValue(record, id, field, null, null, value, e);
        }
    }

    private static DataException badValue(ConnectRecord<?> record, Object id, String field, String salesforceType,
            ColumnType type, Object value, ColumnValues.BadValue e) {
        return new DataException(NAME + ": cannot write field " + field
                + (salesforceType == null ? "" : " (Salesforce type " + salesforceType + ")")
                + " of " + Records.describe(record, id) + (type == null ? "" : " to a " + type.ddl() + " column")
                + ": the " + value.getClass().getSimpleName() + " value \"" + Records.shorten(value) + "\" "
                + e.getMessage());
    }

    private Plan plan(R record, Object id, Schema in) {
        SchemaBuilder out = Records.copyHeader(in, SchemaBuilder.struct());
        List<Column> columns = new ArrayList<>();
        for (Field field : in.fields()) {
            String salesforceType = parameter(field, FieldParameters.TYPE);
            ColumnType type;
            if (salesforceType != null) {
                type = ColumnType.of(salesforceType, number(record, id, field, FieldParameters.LENGTH),
                        number(record, id, field, FieldParameters.PRECISION),
                        number(record, id, field, FieldParameters.SCALE), style);
            } else {
                type = field.name().equals(HerokuConnectRow.LASTOP_COLUMN) ? LASTOP_TYPE : null;
            }
            out.field(field.name(), type == null ? field.schema() : ColumnValues.schema(field.schema(), type));
            columns.add(new Column(field, type, salesforceType));
        }
        return new Plan(out.build(), List.copyOf(columns));
    }

    private static String parameter(Field field, String name) {
        Map<String, String> parameters = field.schema().parameters();
        return parameters == null ? null : parameters.get(name);
    }

    private static int number(ConnectRecord<?> record, Object id, Field field, String parameter) {
        String text = parameter(field, parameter);
        if (text == null) {
            return 0;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new DataException(NAME + ": the schema of field " + field.name() + " of "
                    + Records.describe(record, id) + " has " + parameter + "=" + text + ", not a number");
        }
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        plans = null;
    }

    @Override
    public String version() {
        return Version.get();
    }
}
