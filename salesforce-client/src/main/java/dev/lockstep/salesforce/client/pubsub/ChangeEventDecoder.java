package dev.lockstep.salesforce.client.pubsub;

import dev.lockstep.salesforce.client.streaming.ChangeEvent;
import dev.lockstep.salesforce.client.streaming.ChangeEventHeader;
import dev.lockstep.salesforce.client.streaming.ReplayId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Turns one schema's raw Avro binary payloads (reference §6.5: no container header, no fingerprint) into
 * {@link ChangeEvent}s with the Java value types {@link ChangeEvent}'s Javadoc promises.
 *
 * <p>The conversion of every field is worked out once per schema from its Avro type and its {@code doc}
 * ({@code Data:DateOnly} → {@link LocalDate}, {@code Data:DateTime} or {@code CreatedDate:DateTime} →
 * {@link Instant}, {@code Data:TimeOnly} → {@link LocalTime}, compounds → {@code Map}), so decoding an event does no
 * string matching on docs.
 *
 * <p>Not thread-safe (it reuses its Avro decoder): each subscription owns its decoders and uses them on its one
 * thread.
 */
final class ChangeEventDecoder {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final String schemaId;
    private final Schema schema;
    private final GenericDatumReader<GenericRecord> reader;
    private final List<Schema.Field> dataFields;
    private final List<Function<Object, Object>> converters;
    private BinaryDecoder decoder;
    private GenericRecord reuse;

    ChangeEventDecoder(String schemaId, Schema schema) {
        this.schemaId = schemaId;
        this.schema = schema;
        this.reader = new GenericDatumReader<>(schema);
        List<Schema.Field> fields = schema.getFields();
        // Index 0 is ChangeEventHeader (reference §5.2); everything after it is an object field.
        this.dataFields = fields.subList(1, fields.size());
        this.converters = new ArrayList<>(dataFields.size());
        for (Schema.Field field : dataFields) {
            converters.add(converter(field.schema(), field.doc()));
        }
    }

    Schema schema() {
        return schema;
    }

    ChangeEvent decode(String channel, ReplayId replayId, ByteBuffer payload) throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(payload.array(), payload.arrayOffset() + payload.position(),
                payload.remaining(), decoder);
        // Reusing the record saves allocating its field array; every value is copied out before the next read.
        GenericRecord record = reader.read(reuse, decoder);
        reuse = record;
        ChangeEventHeader header = header((GenericRecord) record.get(0));
        Map<String, Object> values = new LinkedHashMap<>(dataFields.size() * 2);
        for (int i = 0; i < dataFields.size(); i++) {
            Object raw = record.get(i + 1);
            values.put(dataFields.get(i).name(), raw == null ? null : converters.get(i).apply(raw));
        }
        // Null values are meaningful (sent as null), so not Map.copyOf, which rejects them.
        return new ChangeEvent(channel, replayId, schemaId, header, Collections.unmodifiableMap(values), "pubsub");
    }

    private ChangeEventHeader header(GenericRecord h) {
        return new ChangeEventHeader(
                string(h.get("entityName")),
                strings(h.get("recordIds")),
                string(h.get("changeType")),
                string(h.get("changeOrigin")),
                string(h.get("transactionKey")),
                h.get("sequenceNumber") == null ? 0 : ((Number) h.get("sequenceNumber")).intValue(),
                h.get("commitTimestamp") == null ? null
                        : Instant.ofEpochMilli(((Number) h.get("commitTimestamp")).longValue()),
                h.get("commitNumber") == null ? 0 : ((Number) h.get("commitNumber")).longValue(),
                string(h.get("commitUser")),
                BitmapFields.decode(schema, charSequences(h.get("changedFields"))),
                BitmapFields.decode(schema, charSequences(h.get("nulledFields"))),
                BitmapFields.decode(schema, charSequences(h.get("diffFields"))));
    }

    private static String string(Object value) {
        // Avro hands out Utf8 for strings and GenericEnumSymbol for enums; both print their text.
        return value == null ? null : value.toString();
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object o : (Iterable<?>) value) {
            out.add(o.toString());
        }
        return out;
    }

    private static List<CharSequence> charSequences(Object value) {
        if (value == null) {
            return List.of();
        }
        List<CharSequence> out = new ArrayList<>();
        for (Object o : (Iterable<?>) value) {
            out.add(o.toString());
        }
        return out;
    }

    /** The conversion for one field, decided from its non-null branch(es) and its Salesforce type in {@code doc}. */
    static Function<Object, Object> converter(Schema type, String doc) {
        String kind = kind(doc);
        Schema record = BitmapFields.recordOf(type);
        Function<Object, Object> nestedRecord = record == null ? null : recordConverter(record);
        return raw -> convert(raw, kind, nestedRecord);
    }

    private static Function<Object, Object> recordConverter(Schema record) {
        List<Schema.Field> fields = record.getFields();
        List<Function<Object, Object>> parts = new ArrayList<>(fields.size());
        for (Schema.Field f : fields) {
            parts.add(converter(f.schema(), f.doc()));
        }
        return raw -> {
            GenericRecord r = (GenericRecord) raw;
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                Object v = r.get(i);
                out.put(fields.get(i).name(), v == null ? null : parts.get(i).apply(v));
            }
            return Collections.unmodifiableMap(out);
        };
    }

    private static Object convert(Object raw, String kind, Function<Object, Object> nestedRecord) {
        if (raw instanceof CharSequence) {
            return raw.toString();
        }
        if (raw instanceof Long l) {
            // Salesforce sends dates, date-times and times as longs (reference §5.2): the doc says which.
            switch (kind) {
                case "DateOnly":
                    return LocalDate.ofEpochDay(Math.floorDiv(l, MILLIS_PER_DAY));
                case "DateTime":
                    return Instant.ofEpochMilli(l);
                case "TimeOnly":
                    return LocalTime.ofNanoOfDay(Math.floorMod(l, MILLIS_PER_DAY) * 1_000_000L);
                default:
                    return l;
            }
        }
        if (raw instanceof Float f) {
            return f.doubleValue();
        }
        if (raw instanceof ByteBuffer b) {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            return bytes;
        }
        if (raw instanceof GenericRecord && nestedRecord != null) {
            return nestedRecord.apply(raw);
        }
        if (raw instanceof org.apache.avro.generic.GenericEnumSymbol<?>) {
            return raw.toString();
        }
        if (raw instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(o instanceof CharSequence ? o.toString() : o);
            }
            return Collections.unmodifiableList(out);
        }
        // Boolean, Integer, Double: already the Java type the event promises.
        return raw;
    }

    /** {@code Data:DateOnly}, {@code CreatedDate:DateTime}, {@code Data:DateTime:00N123} → the type part. */
    static String kind(String doc) {
        if (doc == null) {
            return "";
        }
        for (String part : doc.split(":")) {
            if (part.equals("DateOnly") || part.equals("DateTime") || part.equals("TimeOnly")) {
                return part;
            }
        }
        return "";
    }
}
