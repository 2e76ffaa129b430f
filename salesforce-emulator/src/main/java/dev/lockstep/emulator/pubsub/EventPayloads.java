package dev.lockstep.emulator.pubsub;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.lockstep.emulator.cdc.ChangeEvent;
import dev.lockstep.emulator.cdc.StoredEvent;
import dev.lockstep.emulator.pubsub.proto.ConsumerEvent;
import dev.lockstep.emulator.pubsub.proto.ProducerEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Turns the bus's change events into Pub/Sub {@link ConsumerEvent}s: the replay id as 8 big-endian bytes, an event
 * UUID, the id of the schema the event was written with, and the payload as a raw Avro binary datum (no container
 * header, no single-object marker), as {@code GenericDatumReader} over a {@code BinaryDecoder} reads it.
 *
 * <p>The body follows the change type (reference §5.2, Pub/Sub rules): CREATE and UNDELETE carry every field of
 * the record, empty ones as null; UPDATE carries only the changed fields (a compound as its record with only the
 * changed components set), every other field null even when the record has a value; DELETE and the gap and
 * overflow events carry the header alone. Values are converted to the schema's Avro types: BigDecimal to double,
 * dates, date-times and times are already epoch milliseconds. Thread-safe.
 */
final class EventPayloads {

    private final long uuidHigh;
    private final Map<String, GenericDatumWriter<GenericRecord>> writers = new ConcurrentHashMap<>();
    private final Map<String, Optional<DirectWriter>> directWriters = new ConcurrentHashMap<>();
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);
    private volatile boolean compoundParentBit;

    /** One thread's reusable output buffer and encoder: encoding a million events allocates neither per event. */
    private static final class Buffers {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        BinaryEncoder encoder;
    }

    EventPayloads(String orgId) {
        UUID org = UUID.nameUUIDFromBytes(orgId.getBytes(StandardCharsets.US_ASCII));
        this.uuidHigh = (org.getMostSignificantBits() & ~0xF000L) | 0x4000L;
    }

    void setCompoundParentBit(boolean set) {
        this.compoundParentBit = set;
    }

    boolean compoundParentBit() {
        return compoundParentBit;
    }

    ConsumerEvent consumerEvent(StoredEvent stored) {
        ChangeEvent event = stored.event();
        ProducerEvent producer = ProducerEvent.newBuilder()
                .setId(eventUuid(stored.replayId()))
                .setSchemaId(event.schema().id())
                .setPayload(UnsafeByteOperations.unsafeWrap(payload(event)))
                .build();
        return ConsumerEvent.newBuilder().setEvent(producer).setReplayId(replayId(stored.replayId())).build();
    }

    /** Replay ids on the wire: 8 bytes, a big-endian unsigned long (Java sample and Node client read them so). */
    static ByteString replayId(long id) {
        return UnsafeByteOperations.unsafeWrap(ByteBuffer.allocate(8).putLong(id).array());
    }

    /**
     * A stable UUID per event: the same one each time the event is delivered, so that consumers can de-duplicate
     * on it, as on Salesforce's event UUIDs. Version-4 layout: the high half from the org id, the low half a
     * bijective scramble of the replay id (distinct replay ids give distinct UUIDs), computed without hashing
     * because every delivered event needs one.
     */
    private String eventUuid(long replayId) {
        long scrambled = (replayId * 0x9E3779B97F4A7C15L) & 0x3FFF_FFFF_FFFF_FFFFL;
        return new UUID(uuidHigh, 0x8000_0000_0000_0000L | scrambled).toString();
    }

    /** The Avro binary datum of an event, written with the event's own (writer) schema. */
    byte[] payload(ChangeEvent event) {
        Schema schema = event.schema().avro();
        Optional<DirectWriter> direct = directWriters.computeIfAbsent(event.schema().id(),
                id -> Optional.ofNullable(DirectWriter.of(schema)));
        Buffers b = buffers.get();
        b.bytes.reset();
        b.encoder = EncoderFactory.get().binaryEncoder(b.bytes, b.encoder);
        try {
            if (direct.isPresent()) {
                direct.get().write(event, body(event, schema), compoundParentBit, b.encoder);
            } else {
                genericWriter(event).write(record(event, schema), b.encoder);
            }
            b.encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write an event of " + event.eventName() + " as Avro", e);
        }
        return b.bytes.toByteArray();
    }

    /**
     * The same datum written by Avro's {@code GenericDatumWriter} from a {@code GenericRecord}: the reference the
     * direct writer is tested against, and the path for schemas it does not cover.
     */
    byte[] genericPayload(ChangeEvent event) {
        Buffers b = buffers.get();
        b.bytes.reset();
        b.encoder = EncoderFactory.get().binaryEncoder(b.bytes, b.encoder);
        try {
            genericWriter(event).write(record(event, event.schema().avro()), b.encoder);
            b.encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write an event of " + event.eventName() + " as Avro", e);
        }
        return b.bytes.toByteArray();
    }

    private GenericDatumWriter<GenericRecord> genericWriter(ChangeEvent event) {
        return writers.computeIfAbsent(event.schema().id(), id -> new GenericDatumWriter<>(event.schema().avro()));
    }

    /** The event as a GenericRecord of its schema. */
    GenericRecord record(ChangeEvent event, Schema schema) {
        GenericData.Record record = new GenericData.Record(schema);
        record.put(0, header(event, schema));
        Object[] body = body(event, schema);
        for (int i = 1; i < body.length; i++) {
            if (body[i] != null) {
                record.put(i, value(schema.getFields().get(i).schema(), body[i]));
            }
        }
        return record;
    }

    /**
     * The values the body carries, by top-level schema position (0, the header, stays empty), as the bus holds them
     * (a compound as a map of its components). CREATE and UNDELETE: every field. UPDATE: the changed fields, a
     * compound as a map of just its changed components (present even when they were all nulled). DELETE, GAP_* and
     * GAP_OVERFLOW: nothing.
     */
    private static Object[] body(ChangeEvent event, Schema schema) {
        Object[] values = new Object[schema.getFields().size()];
        switch (event.changeType()) {
            case "CREATE", "UNDELETE" -> {
                List<Schema.Field> fields = schema.getFields();
                int position = 1;
                for (Map.Entry<String, Object> entry : event.fields().entrySet()) {
                    // The bus keeps values in schema order under the schema's own name strings: check the expected
                    // position first (an identity comparison), look the name up only when it is not there.
                    Schema.Field field = position < fields.size() && fields.get(position).name().equals(entry.getKey())
                            ? fields.get(position) : schema.getField(entry.getKey());
                    if (field != null && field.pos() > 0) {
                        values[field.pos()] = entry.getValue();
                        position = field.pos() + 1;
                    }
                }
            }
            case "UPDATE" -> update(event, schema, values);
            default -> {
                // DELETE, GAP_* and GAP_OVERFLOW: every field stays null; only the header matters.
            }
        }
        return values;
    }

    /** Only the changed fields: everything else is null, even when the record has a value. */
    private static void update(ChangeEvent event, Schema schema, Object[] values) {
        Set<String> top = new HashSet<>();
        Map<String, Set<String>> components = new HashMap<>();
        for (String name : event.changedFields()) {
            int dot = name.indexOf('.');
            if (dot < 0) {
                top.add(name);
            } else {
                components.computeIfAbsent(name.substring(0, dot), k -> new HashSet<>()).add(name.substring(dot + 1));
            }
        }
        for (Map.Entry<String, Object> entry : event.fields().entrySet()) {
            String name = entry.getKey();
            Set<String> parts = components.get(name);
            if (!top.contains(name) && parts == null) {
                continue;
            }
            Schema.Field field = schema.getField(name);
            if (field == null || field.pos() == 0) {
                continue;
            }
            Object value = entry.getValue();
            if (parts != null && FieldBitmaps.nestedRecord(field.schema()) != null) {
                // A compound with changed components: its record, the unchanged components null.
                Map<String, Object> changed = new HashMap<>();
                for (String part : parts) {
                    changed.put(part, value instanceof Map<?, ?> m ? m.get(part) : null);
                }
                values[field.pos()] = changed;
            } else {
                values[field.pos()] = value;
            }
        }
    }

    private GenericData.Record header(ChangeEvent event, Schema schema) {
        Schema headerSchema = schema.getFields().get(0).schema();
        GenericData.Record header = new GenericData.Record(headerSchema);
        boolean parentBit = compoundParentBit;
        header.put("entityName", event.entityName());
        header.put("recordIds", event.recordIds());
        header.put("changeType", new GenericData.EnumSymbol(headerSchema.getField("changeType").schema(),
                event.changeType()));
        header.put("changeOrigin", nonNull(event.changeOrigin()));
        header.put("transactionKey", nonNull(event.transactionKey()));
        header.put("sequenceNumber", event.sequenceNumber());
        header.put("commitTimestamp", event.commitTimestamp());
        header.put("commitNumber", event.commitNumber());
        header.put("commitUser", nonNull(event.commitUser()));
        header.put("nulledFields", FieldBitmaps.encode(schema, event.nulledFields(), parentBit));
        header.put("diffFields", FieldBitmaps.encode(schema, event.diffFields(), parentBit));
        header.put("changedFields", FieldBitmaps.encode(schema, event.changedFields(), parentBit));
        return header;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /**
     * A Java value as the Avro type of {@code schema} (for a union, the branch the value belongs to: a map goes
     * to the record branch, anything else to the first other non-null branch).
     */
    private static Object value(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        Schema type = schema;
        if (schema.getType() == Schema.Type.UNION) {
            type = branch(schema, value instanceof Map);
            if (type == null) {
                return null;
            }
        }
        return switch (type.getType()) {
            case STRING -> value instanceof BigDecimal d ? d.toPlainString() : value.toString();
            case INT -> ((Number) value).intValue();
            case LONG -> ((Number) value).longValue();
            case DOUBLE -> ((Number) value).doubleValue();
            case FLOAT -> ((Number) value).floatValue();
            case BOOLEAN -> value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString());
            case BYTES -> value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
            case RECORD -> compound(type, (Map<?, ?>) value);
            case ENUM -> new GenericData.EnumSymbol(type, value.toString());
            case ARRAY -> value instanceof List<?> ? value : List.of(value);
            default -> value;
        };
    }

    private static GenericData.Record compound(Schema type, Map<?, ?> components) {
        GenericData.Record nested = new GenericData.Record(type);
        for (Schema.Field part : type.getFields()) {
            nested.put(part.pos(), value(part.schema(), components.get(part.name())));
        }
        return nested;
    }

    private static Schema branch(Schema union, boolean record) {
        for (Schema branch : union.getTypes()) {
            Schema.Type t = branch.getType();
            if (t != Schema.Type.NULL && (t == Schema.Type.RECORD) == record) {
                return branch;
            }
        }
        return null;
    }
}
