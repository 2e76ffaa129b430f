package dev.lockstep.transforms;

import dev.lockstep.common.Envelope;
import dev.lockstep.common.Version;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
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
        schemaCache = new SynchronizedCache<>(new LRUCache<>(64));
    }

    @Override
    public R apply(R record) {
        Object value = record.value();
        if (value == null) {
            return record;
        }
        if (value instanceof Struct envelope) {
            return applyWithSchema(record, envelope);
        }
        if (value instanceof Map<?, ?> envelope) {
            return applySchemaless(record, envelope);
        }
        throw new DataException(getClass().getSimpleName() + " expects a change-event envelope (Struct or Map) but "
                + describe(record) + " has a value of type " + value.getClass().getName());
    }

    private R applyWithSchema(R record, Struct envelope) {
        Schema envelopeSchema = envelope.schema();
        if (envelopeSchema.field(Envelope.AFTER) == null || envelopeSchema.field(Envelope.SOURCE) == null) {
            throw notAnEnvelope(record);
        }
        Struct source = envelope.getStruct(Envelope.SOURCE);
        Struct after = envelope.getStruct(Envelope.AFTER);
        if (source == null || after == null || !isPartialUpdate(envelope.getString(Envelope.OP),
                source.schema().field(Envelope.Source.COMPLETE) == null ? null
                        : source.getBoolean(Envelope.Source.COMPLETE))) {
            return record;
        }
        Set<String> kept = keptFields(record, after.schema().fields().stream().map(Field::name).toList(),
                listField(source, Envelope.Source.CHANGED_FIELDS), listField(source, Envelope.Source.NULLED_FIELDS));

        Schema narrowedEnvelopeSchema = schemaCache.get(new SchemaKey(envelopeSchema, kept));
        if (narrowedEnvelopeSchema == null) {
            narrowedEnvelopeSchema = narrowEnvelopeSchema(envelopeSchema, kept);
            schemaCache.put(new SchemaKey(envelopeSchema, kept), narrowedEnvelopeSchema);
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

    private R applySchemaless(R record, Map<?, ?> envelope) {
        if (!envelope.containsKey(Envelope.AFTER) || !envelope.containsKey(Envelope.SOURCE)) {
            throw notAnEnvelope(record);
        }
        if (!(envelope.get(Envelope.SOURCE) instanceof Map<?, ?> source)
                || !(envelope.get(Envelope.AFTER) instanceof Map<?, ?> after)
                || !isPartialUpdate(envelope.get(Envelope.OP), source.get(Envelope.Source.COMPLETE))) {
            return record;
        }
        List<String> afterFields = after.keySet().stream().map(String::valueOf).toList();
        Set<String> kept = keptFields(record, afterFields, listEntry(record, source, Envelope.Source.CHANGED_FIELDS),
                listEntry(record, source, Envelope.Source.NULLED_FIELDS));
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
                throw new DataException(getClass().getSimpleName() + ": key field '" + key + "' is not in 'after' of "
                        + describe(record) + "; set '" + KEY_FIELDS_CONFIG + "' to the record's key fields");
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
        SchemaBuilder narrowedAfter = copyHeader(afterSchema, SchemaBuilder.struct());
        for (String name : kept) {
            narrowedAfter.field(name, afterSchema.field(name).schema());
        }
        SchemaBuilder narrowed = copyHeader(envelopeSchema, SchemaBuilder.struct());
        for (Field field : envelopeSchema.fields()) {
            narrowed.field(field.name(), field.name().equals(Envelope.AFTER) ? narrowedAfter.build() : field.schema());
        }
        return narrowed.build();
    }

    private static SchemaBuilder copyHeader(Schema from, SchemaBuilder to) {
        to.name(from.name()).version(from.version()).doc(from.doc());
        if (from.parameters() != null) {
            to.parameters(from.parameters());
        }
        if (from.isOptional()) {
            to.optional();
        }
        return to;
    }

    private static List<String> listField(Struct source, String name) {
        if (source.schema().field(name) == null) {
            return List.of();
        }
        List<String> values = source.getArray(name);
        return values == null ? List.of() : values;
    }

    private List<String> listEntry(R record, Map<?, ?> source, String name) {
        Object values = source.get(name);
        if (values == null) {
            return List.of();
        }
        if (!(values instanceof List<?> list)) {
            throw new DataException(getClass().getSimpleName() + ": source." + name + " of " + describe(record)
                    + " should be a list of field names but is " + values.getClass().getName());
        }
        return list.stream().map(Objects::toString).toList();
    }

    private DataException notAnEnvelope(R record) {
        return new DataException(getClass().getSimpleName() + " expects a change-event envelope with '"
                + Envelope.AFTER + "' and '" + Envelope.SOURCE + "' but " + describe(record)
                + " has none; apply it to the Salesforce source connector's topics only");
    }

    private static String describe(ConnectRecord<?> record) {
        return "the record at " + record.topic() + "-" + record.kafkaPartition() + " with key " + record.key();
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
