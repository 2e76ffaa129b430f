package dev.lockstep.emulator.cometd;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.cdc.ChangeEvent;
import dev.lockstep.emulator.cdc.EventSchemas;
import dev.lockstep.emulator.cdc.StoredEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Renders a change event as the Streaming API delivers it (reference §7.3):
 * {@code {"channel", "data": {"schema", "payload": {"ChangeEventHeader": {...}, fields...}, "event": {"replayId"}}}}.
 *
 * <p>The body follows the CometD rules of reference §5.2, which differ from Pub/Sub's: CREATE and UNDELETE carry
 * the non-empty fields, UPDATE only the changed ones (JSON null for a field set to null, compound components nested
 * under their compound), DELETE, gap and overflow events the header alone. The header has no {@code nulledFields}
 * or {@code diffFields}. The bus keeps dates as epoch milliseconds (the Avro form); JSON clients get ISO-8601
 * strings, chosen by the field's Salesforce type as the event schema's {@code doc} attribute names it.
 *
 * <p>Thread-safe: the per-schema type tables are cached in a concurrent map.
 */
final class EventJson {

    /** Plain decimals: {@code 1E+7} is valid JSON but no Salesforce payload looks like that. */
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final DateTimeFormatter DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'", Locale.ROOT);

    /** How a field's value is written. */
    enum Kind { PLAIN, DATETIME, DATE, TIME }

    /** Field kinds of one schema: top-level field → kind, and compound → component → kind. */
    private record Kinds(Map<String, Kind> top, Map<String, Map<String, Kind>> nested) {}

    private final Map<String, Kinds> kindsBySchema = new ConcurrentHashMap<>();

    /**
     * The message for one event on {@code channel}, as UTF-8 JSON bytes. Written with a streaming generator, not a
     * tree: a replay of every retained event renders hundreds of thousands of them.
     */
    byte[] render(String channel, StoredEvent stored) {
        ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
        try (JsonGenerator g = JSON.getFactory().createGenerator(buffer)) {
            g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
            write(g, channel, stored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private void write(JsonGenerator g, String channel, StoredEvent stored) throws IOException {
        ChangeEvent event = stored.event();
        g.writeStartObject();
        g.writeStringField("channel", channel);
        g.writeObjectFieldStart("data");
        g.writeStringField("schema", event.schema().id());
        g.writeObjectFieldStart("payload");
        g.writeObjectFieldStart("ChangeEventHeader");
        g.writeStringField("entityName", event.entityName());
        g.writeArrayFieldStart("recordIds");
        for (String id : event.recordIds()) {
            g.writeString(id);
        }
        g.writeEndArray();
        g.writeStringField("changeType", event.changeType());
        g.writeStringField("changeOrigin", event.changeOrigin());
        g.writeStringField("transactionKey", event.transactionKey());
        g.writeNumberField("sequenceNumber", event.sequenceNumber());
        g.writeNumberField("commitTimestamp", event.commitTimestamp());
        g.writeNumberField("commitNumber", event.commitNumber());
        g.writeStringField("commitUser", event.commitUser());
        g.writeArrayFieldStart("changedFields");
        for (String field : event.changedFields()) {
            g.writeString(field);
        }
        g.writeEndArray();
        g.writeEndObject();
        Kinds kinds = kindsOf(event.schema());
        switch (event.changeType()) {
            case "CREATE", "UNDELETE" -> populated(g, event, kinds);
            case "UPDATE" -> changedOnly(g, event, kinds);
            default -> {
                // DELETE, gap and overflow events: the header alone (reference §5.2, §5.5).
            }
        }
        g.writeEndObject();
        g.writeObjectFieldStart("event");
        g.writeNumberField("replayId", stored.replayId());
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    /** Every non-empty field, in schema order; compounds with their non-empty components. */
    private static void populated(JsonGenerator g, ChangeEvent event, Kinds kinds) throws IOException {
        for (Map.Entry<String, Object> field : event.fields().entrySet()) {
            Object value = field.getValue();
            if (value == null) {
                continue;
            }
            if (value instanceof Map<?, ?> compound) {
                if (compound.isEmpty()) {
                    continue;
                }
                Map<String, Kind> parts = kinds.nested().getOrDefault(field.getKey(), Map.of());
                g.writeObjectFieldStart(field.getKey());
                for (Map.Entry<?, ?> part : compound.entrySet()) {
                    if (part.getValue() != null) {
                        String name = part.getKey().toString();
                        put(g, name, part.getValue(), parts.getOrDefault(name, Kind.PLAIN));
                    }
                }
                g.writeEndObject();
            } else {
                put(g, field.getKey(), value, kinds.top().getOrDefault(field.getKey(), Kind.PLAIN));
            }
        }
    }

    /**
     * Only the changed fields: a nulled field as JSON null, {@code BillingAddress.City} as
     * {@code "BillingAddress": {"City": ...}}. {@code LastModifiedDate} is always there, as in Salesforce's events.
     */
    private static void changedOnly(JsonGenerator g, ChangeEvent event, Kinds kinds) throws IOException {
        // Components of one compound are written together, at the compound's first mention.
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String path : event.changedFields()) {
            int dot = path.indexOf('.');
            if (dot < 0) {
                fields.putIfAbsent(path, null);
            } else {
                List<String> parts = fields.get(path.substring(0, dot));
                if (parts == null) {
                    parts = new ArrayList<>();
                    fields.put(path.substring(0, dot), parts);
                }
                parts.add(path.substring(dot + 1));
            }
        }
        if (kinds.top().containsKey("LastModifiedDate")) {
            fields.putIfAbsent("LastModifiedDate", null);
        }
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            String name = field.getKey();
            Object value = event.fields().get(name);
            Map<String, Kind> partKinds = kinds.nested().getOrDefault(name, Map.of());
            if (field.getValue() != null) {
                // A compound whose components are all null is absent from the bus's map: each is then null.
                Map<?, ?> compound = value instanceof Map<?, ?> m ? m : Map.of();
                g.writeObjectFieldStart(name);
                for (String part : field.getValue()) {
                    put(g, part, compound.get(part), partKinds.getOrDefault(part, Kind.PLAIN));
                }
                g.writeEndObject();
            } else if (value instanceof Map<?, ?> compound) {
                g.writeObjectFieldStart(name);
                for (Map.Entry<?, ?> part : compound.entrySet()) {
                    String partName = part.getKey().toString();
                    put(g, partName, part.getValue(), partKinds.getOrDefault(partName, Kind.PLAIN));
                }
                g.writeEndObject();
            } else {
                put(g, name, value, kinds.top().getOrDefault(name, Kind.PLAIN));
            }
        }
    }

    private static void put(JsonGenerator g, String name, Object value, Kind kind) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Long millis && kind != Kind.PLAIN) {
            g.writeString(date(millis, kind));
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof byte[] bytes) {
            g.writeString(Base64.getEncoder().encodeToString(bytes));
        } else {
            g.writeString(value.toString());
        }
    }

    /** ISO-8601 in UTC: {@code 2024-09-03T06:59:38.000Z}, {@code 2024-09-03}, {@code 06:59:38.000Z}. */
    static String date(long millis, Kind kind) {
        return switch (kind) {
            case DATETIME -> DATETIME.format(Instant.ofEpochMilli(millis));
            case DATE -> LocalDate.ofEpochDay(Math.floorDiv(millis, 86_400_000L)).toString();
            case TIME -> TIME.format(LocalTime.ofNanoOfDay(Math.floorMod(millis, 86_400_000L) * 1_000_000L));
            case PLAIN -> Long.toString(millis);
        };
    }

    private Kinds kindsOf(EventSchemas.EventSchema schema) {
        return kindsBySchema.computeIfAbsent(schema.id(), id -> {
            Map<String, Kind> top = new HashMap<>();
            Map<String, Map<String, Kind>> nested = new HashMap<>();
            for (Schema.Field field : schema.avro().getFields()) {
                if (field.name().equals("ChangeEventHeader")) {
                    continue;
                }
                top.put(field.name(), kindOf(field.doc()));
                Schema record = recordIn(field.schema());
                if (record != null) {
                    Map<String, Kind> parts = new HashMap<>();
                    for (Schema.Field part : record.getFields()) {
                        parts.put(part.name(), kindOf(part.doc()));
                    }
                    nested.put(field.name(), Map.copyOf(parts));
                }
            }
            return new Kinds(Map.copyOf(top), Map.copyOf(nested));
        });
    }

    /** The nested record of a compound's {@code ["null", Record]} union, or null. */
    private static Schema recordIn(Schema type) {
        if (type.getType() == Schema.Type.RECORD) {
            return type;
        }
        if (type.getType() == Schema.Type.UNION) {
            for (Schema branch : type.getTypes()) {
                if (branch.getType() == Schema.Type.RECORD) {
                    return branch;
                }
            }
        }
        return null;
    }

    /**
     * The kind named by a {@code doc} such as {@code Data:DateTime}, {@code CreatedDate:DateTime} or, for custom
     * fields, {@code Data:DateOnly:00N...}: the second part is the Salesforce type.
     */
    static Kind kindOf(String doc) {
        if (doc == null) {
            return Kind.PLAIN;
        }
        String[] parts = doc.split(":");
        if (parts.length < 2) {
            return Kind.PLAIN;
        }
        return switch (parts[1]) {
            case "DateTime" -> Kind.DATETIME;
            case "DateOnly" -> Kind.DATE;
            case "TimeOnly" -> Kind.TIME;
            default -> Kind.PLAIN;
        };
    }
}
