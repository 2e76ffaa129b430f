package dev.lockstep.transforms;

import dev.lockstep.common.Envelope;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * What the transforms of this package share about records and schemas: how a record is named in an error message
 * (the dead-letter topic shows that message, so it must lead an operator to the record), how values are shown
 * there, how schemas are copied, and the size of the schema caches.
 */
final class Records {

    /** Values longer than this are cut in error messages: a long text area holds up to 131,072 characters. */
    static final int MAX_VALUE_IN_MESSAGE = 100;

    /** Schemas cached per transform instance: one per object version and field set seen recently. */
    private static final int CACHE_SIZE = 64;

    private Records() {}

    /**
     * The record as an error message names it: where it was read from (a sink record's original topic, partition
     * and offset, which later transforms do not change) and its Salesforce Id, taken from its key.
     */
    static String describe(ConnectRecord<?> record) {
        return describe(record, idOf(record.key()));
    }

    /** As {@link #describe(ConnectRecord)}, with the Salesforce Id known by the caller (null when unknown). */
    static String describe(ConnectRecord<?> record, Object id) {
        StringBuilder text = new StringBuilder("the record at ");
        if (record instanceof SinkRecord sink) {
            text.append(sink.originalTopic()).append('-').append(sink.originalKafkaPartition())
                    .append(" offset ").append(sink.originalKafkaOffset());
        } else {
            text.append(record.topic()).append('-').append(record.kafkaPartition());
        }
        if (id != null) {
            text.append(" (Salesforce Id ").append(id).append(')');
        } else if (record.key() != null) {
            text.append(" (key ").append(shorten(record.key())).append(')');
        }
        return text.toString();
    }

    /**
     * The Salesforce Id a key carries: its {@code Id} field (the source connector's key) or {@code sfid} field
     * ({@link HerokuConnectRow}'s key), or the key itself when it is a string; null when none.
     */
    static Object idOf(Object key) {
        if (key instanceof Struct struct) {
            for (String name : new String[] {Envelope.ID, HerokuConnectRow.SFID_COLUMN}) {
                Field field = struct.schema().field(name);
                if (field != null && struct.get(field) != null) {
                    return struct.get(field);
                }
            }
            return null;
        }
        if (key instanceof Map<?, ?> map) {
            Object id = map.get(Envelope.ID);
            return id != null ? id : map.get(HerokuConnectRow.SFID_COLUMN);
        }
        return key instanceof String ? key : null;
    }

    /** A value as an error message shows it: bytes as base64, and cut after {@value #MAX_VALUE_IN_MESSAGE} chars. */
    static String shorten(Object value) {
        String text;
        if (value instanceof byte[] bytes) {
            text = Base64.getEncoder().encodeToString(bytes);
        } else if (value instanceof ByteBuffer buffer) {
            text = Base64.getEncoder().encodeToString(bytes(buffer));
        } else {
            text = String.valueOf(value);
        }
        return text.length() > MAX_VALUE_IN_MESSAGE ? text.substring(0, MAX_VALUE_IN_MESSAGE) + "..." : text;
    }

    /** The remaining bytes of a buffer, without moving its position. */
    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** A bounded, thread-safe cache of derived schemas. */
    static <K, V> Cache<K, V> newCache() {
        return new SynchronizedCache<>(new LRUCache<>(CACHE_SIZE));
    }

    /** Copies name, version, doc, parameters and optionality. */
    static SchemaBuilder copyHeader(Schema from, SchemaBuilder to) {
        to.name(from.name()).version(from.version()).doc(from.doc());
        if (from.parameters() != null) {
            to.parameters(from.parameters());
        }
        if (from.isOptional()) {
            to.optional();
        }
        return to;
    }

    /**
     * The schema made optional, everything else kept (without a default value): a row field the sink adds as a
     * column must never become {@code NOT NULL}, since narrowed updates and deletes leave most columns out.
     */
    static Schema optional(Schema schema) {
        if (schema.isOptional()) {
            return schema;
        }
        SchemaBuilder builder = switch (schema.type()) {
            case ARRAY -> SchemaBuilder.array(schema.valueSchema());
            case MAP -> SchemaBuilder.map(schema.keySchema(), schema.valueSchema());
            case STRUCT -> {
                SchemaBuilder struct = SchemaBuilder.struct();
                schema.fields().forEach(field -> struct.field(field.name(), field.schema()));
                yield struct;
            }
            default -> SchemaBuilder.type(schema.type());
        };
        return copyHeader(schema, builder).optional().build();
    }
}
