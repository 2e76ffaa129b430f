package dev.lockstep.transforms;

import dev.lockstep.common.Envelope;
import dev.lockstep.common.Version;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.util.NonEmptyListValidator;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

/**
 * Narrows a partial Salesforce update to the fields it really changed.
 *
 * <p>A Salesforce UPDATE change event carries only what changed; every other field arrives as null. In update mode
 * {@code partial} the source connector passes it on with {@code source.complete=false} and lists the changed and
 * nulled fields. Written as it is, such an event would null every unchanged column. This transform replaces
 * {@code after} with a struct holding only the key fields plus the changed and nulled fields, so the JDBC sink
 * (which leaves columns absent from a record untouched) updates only those columns. Complete events, other
 * operations and tombstones pass unchanged; the record key is never touched.
 *
 * <p>Works with and without schemas. Narrowed schemas are cached per (envelope schema, field set).
 */
public class NarrowPartialUpdate<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    private static final String NAME = NarrowPartialUpdate.class.getSimpleName();

    public static final String KEY_FIELDS_CONFIG = "key.fields";
    private static final String KEY_FIELDS_DOC =
            "Fields of 'after' kept in every narrowed record, so that the sink can find the row to update.";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(KEY_FIELDS_CONFIG, ConfigDef.Type.LIST, List.of(Envelope.ID),
                    new NonEmptyListValidator(), ConfigDef.Importance.MEDIUM, KEY_FIELDS_DOC);

    private List<String> keyFields;
    private Cache<SchemaKey, Schema> schemaCache;

    private record SchemaKey(Schema envelope, Set<String> fields) {}

    @Override
    public void configure(Map<String, ?> configs) {
        SimpleConfig config = new SimpleConfig(CONFIG_DEF, configs);
        keyFields = config.getList(KEY_FIELDS_CONFIG);
        schemaCache = Records.newCache();
    }

    @Override
    public R apply(R record) {
        if (record.value() == null) {
            return record;
        }
        ChangeEvent event = ChangeEvent.of(record, NAME);
        if (event.after() == null || event.source() == null
                || !isPartialUpdate(event.op(), event.sourceField(Envelope.Source.COMPLETE))) {
            return record;
        }
        List<String> changed = event.sourceNames(record, NAME, Envelope.Source.CHANGED_FIELDS);
        List<String> nulled = event.sourceNames(record, NAME, Envelope.Source.NULLED_FIELDS);
        return event.hasSchema() ? narrowWithSchema(record, (Struct) event.value(), (Struct) event.after(),
                changed, nulled) : narrowSchemaless(record, (Map<?, ?>) event.value(), (Map<?, ?>) event.after(),
                changed, nulled);
    }

    private R narrowWithSchema(R record, Struct envelope, Struct after, List<String> changed, List<String> nulled) {
        Schema envelopeSchema = envelope.schema();
        Set<String> kept = keptFields(record, after.schema().fields().stream().map(Field::name).toList(),
                changed, nulled);

        SchemaKey key = new SchemaKey(envelopeSchema, kept);
        Schema narrowedEnvelopeSchema = schemaCache.get(key);
        if (narrowedEnvelopeSchema == null) {
            narrowedEnvelopeSchema = narrowEnvelopeSchema(envelopeSchema, kept);
            schemaCache.put(key, narrowedEnvelopeSchema);
        }
        Schema narrowedAfterSchema = narrowedEnvelopeSchema.field(Envelope.AFTER).schema();
        Struct narrowedAfter = new Struct(narrowedAfterSchema);
        for (Field field : narrowedAfterSchema.fields()) {
            narrowedAfter.put(field, after.get(field.name()));
        }
        Struct narrowed = new Struct(narrowedEnvelopeSchema);
        for (Field field : narrowedEnvelopeSchema.fields()) {
            narrowed.put(field, field.name().equals(Envelope.AFTER) ? narrowedAfter : envelope.get(field.name()));
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                narrowedEnvelopeSchema, narrowed, record.timestamp(), record.headers());
    }

    private R narrowSchemaless(R record, Map<?, ?> envelope, Map<?, ?> after, List<String> changed,
            List<String> nulled) {
        List<String> afterFields = after.keySet().stream().map(String::valueOf).toList();
        Set<String> kept = keptFields(record, afterFields, changed, nulled);
        Map<String, Object> narrowedAfter = new LinkedHashMap<>();
        for (String name : kept) {
            narrowedAfter.put(name, after.get(name));
        }
        Map<Object, Object> narrowed = new LinkedHashMap<>(envelope);
        narrowed.put(Envelope.AFTER, narrowedAfter);
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                null, narrowed, record.timestamp(), record.headers());
    }

    private static boolean isPartialUpdate(Object op, Object complete) {
        return Envelope.OP_UPDATE.equals(op) && Boolean.FALSE.equals(complete);
    }

    /**
     * The key fields, then the changed and nulled fields, in the order of {@code after}. A changed field that is
     * not in {@code after} is not mapped to this topic and is rightly left out; a missing key field is an error,
     * since the narrowed record could not be applied to any row.
     */
    private Set<String> keptFields(R record, List<String> afterFields, List<String> changed, List<String> nulled) {
        for (String key : keyFields) {
            if (!afterFields.contains(key)) {
                throw new DataException(NAME + ": key field '" + key + "' is not in 'after' of "
                        + Records.describe(record) + "; set '" + KEY_FIELDS_CONFIG + "' to the record's key fields");
            }
        }
        Set<String> wanted = new LinkedHashSet<>(keyFields);
        wanted.addAll(changed);
        wanted.addAll(nulled);
        Set<String> kept = new LinkedHashSet<>();
        for (String name : afterFields) {
            if (wanted.contains(name)) {
                kept.add(name);
            }
        }
        return kept;
    }

    private static Schema narrowEnvelopeSchema(Schema envelopeSchema, Set<String> kept) {
        Schema afterSchema = envelopeSchema.field(Envelope.AFTER).schema();
        SchemaBuilder narrowedAfter = Records.copyHeader(afterSchema, SchemaBuilder.struct());
        for (String name : kept) {
            narrowedAfter.field(name, afterSchema.field(name).schema());
        }
        SchemaBuilder narrowed = Records.copyHeader(envelopeSchema, SchemaBuilder.struct());
        for (Field field : envelopeSchema.fields()) {
            narrowed.field(field.name(), field.name().equals(Envelope.AFTER) ? narrowedAfter.build() : field.schema());
        }
        return narrowed.build();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        schemaCache = null;
    }

    @Override
    public String version() {
        return Version.get();
    }
}
