package dev.lockstep.transforms;

import dev.lockstep.common.Envelope;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * The parts of a Salesforce change-event envelope (ARCHITECTURE §3) the transforms read, alike for a value with a
 * schema ({@link Struct}) and without ({@link Map}, as {@code JsonConverter} with {@code schemas.enable=false}
 * gives it).
 *
 * @param value the whole envelope, a Struct or a Map
 * @param op {@code op}, null when absent
 * @param after {@code after}: a Struct, a Map, or null (deletes)
 * @param source the {@code source} block: a Struct, a Map, or null
 */
record ChangeEvent(Object value, String op, Object after, Object source) {

    /**
     * The envelope of a record with a non-null value.
     *
     * @param transform the transform's name, for messages
     * @throws DataException when the value is not an envelope with {@code after} and {@code source}
     */
    static ChangeEvent of(ConnectRecord<?> record, String transform) {
        Object value = record.value();
        if (value instanceof Struct envelope) {
            if (envelope.schema().field(Envelope.AFTER) == null || envelope.schema().field(Envelope.SOURCE) == null) {
                throw notAnEnvelope(record, transform);
            }
            Field op = envelope.schema().field(Envelope.OP);
            return new ChangeEvent(envelope, op == null ? null : envelope.getString(Envelope.OP),
                    envelope.getStruct(Envelope.AFTER), envelope.getStruct(Envelope.SOURCE));
        }
        if (value instanceof Map<?, ?> envelope) {
            if (!envelope.containsKey(Envelope.AFTER) || !envelope.containsKey(Envelope.SOURCE)) {
                throw notAnEnvelope(record, transform);
            }
            Object after = envelope.get(Envelope.AFTER);
            Object source = envelope.get(Envelope.SOURCE);
            if (after != null && !(after instanceof Map) || source != null && !(source instanceof Map)) {
                throw new DataException(transform + ": '" + Envelope.AFTER + "' and '" + Envelope.SOURCE + "' of "
                        + Records.describe(record) + " should be maps but are "
                        + typeName(after) + " and " + typeName(source));
            }
            return new ChangeEvent(envelope, Objects.toString(envelope.get(Envelope.OP), null), after, source);
        }
        throw new DataException(transform + " expects a change-event envelope (Struct or Map) but "
                + Records.describe(record) + " has a value of type " + typeName(value));
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    private static DataException notAnEnvelope(ConnectRecord<?> record, String transform) {
        return new DataException(transform + " expects a change-event envelope with '" + Envelope.AFTER + "' and '"
                + Envelope.SOURCE + "' but " + Records.describe(record)
                + " has none; apply it to the Salesforce source connector's topics only");
    }

    /** Whether the envelope came with a schema. */
    boolean hasSchema() {
        return value instanceof Struct;
    }

    /** A field of the {@code source} block, null when the block or the field is absent. */
    Object sourceField(String name) {
        return field(source, name);
    }

    /** A field of {@code after}, null when {@code after} or the field is absent. */
    Object afterField(String name) {
        return field(after, name);
    }

    private static Object field(Object container, String name) {
        if (container instanceof Struct struct) {
            return struct.schema().field(name) == null ? null : struct.get(name);
        }
        return container instanceof Map<?, ?> map ? map.get(name) : null;
    }

    /**
     * A list of field names in the {@code source} block ({@code changed_fields}, {@code nulled_fields}); empty when
     * absent.
     *
     * @throws DataException when it is not a list
     */
    List<String> sourceNames(ConnectRecord<?> record, String transform, String name) {
        Object names = sourceField(name);
        if (names == null) {
            return List.of();
        }
        if (!(names instanceof List<?> list)) {
            throw new DataException(transform + ": source." + name + " of " + Records.describe(record)
                    + " should be a list of field names but is " + names.getClass().getName());
        }
        return list.stream().map(Objects::toString).toList();
    }
}
