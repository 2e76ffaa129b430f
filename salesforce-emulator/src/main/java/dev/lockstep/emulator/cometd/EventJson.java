package dev.lockstep.emulator.cometd;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.cdc.ChangeEvent;
import dev.lockstep.emulator.cdc.EventSchemas;
import dev.lockstep.emulator.cdc.StoredEvent;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
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

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
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

    /** The message for one event on {@code channel}, as UTF-8 JSON bytes. */
    byte[] render(String channel, StoredEvent stored) {
        try {
            return JSON.writeValueAsBytes(tree(channel, stored));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectNode tree(String channel, StoredEvent stored) {
        ChangeEvent event = stored.event();
        ObjectNode message = NODES.objectNode();
        message.put("channel", channel);
        ObjectNode data = message.putObject("data");
        data.put("schema", event.schema().id());
        ObjectNode payload = data.putObject("payload");
        ObjectNode header = payload.putObject("ChangeEventHeader");
        header.put("entityName", event.entityName());
        ArrayNode ids = header.putArray("recordIds");
        event.recordIds().forEach(ids::add);
        header.put("changeType", event.changeType());
        header.put("changeOrigin", event.changeOrigin());
        header.put("transactionKey", event.transactionKey());
        header.put("sequenceNumber", event.sequenceNumber());
        header.put("commitTimestamp", event.commitTimestamp());
        header.put("commitNumber", event.commitNumber());
        header.put("commitUser", event.commitUser());
        ArrayNode changed = header.putArray("changedFields");
        event.changedFields().forEach(changed::add);
        Kinds kinds = kindsOf(event.schema());
        switch (event.changeType()) {
            case "CREATE", "UNDELETE" -> populated(event, kinds, payload);
            case "UPDATE" -> changedOnly(event, kinds, payload);
            default -> {
                // DELETE, gap and overflow events: the header alone (reference §5.2, §5.5).
            }
        }
        data.putObject("event").put("replayId", stored.replayId());
        return message;
    }

    /** Every non-empty field, in schema order; compounds with their non-empty components. */
    private static void populated(ChangeEvent event, Kinds kinds, ObjectNode payload) {
        for (Map.Entry<String, Object> field : event.fields().entrySet()) {
            Object value = field.getValue();
            if (value == null) {
                continue;
            }
            if (value instanceof Map<?, ?> compound) {
                if (compound.isEmpty()) {
                    continue;
                }
                ObjectNode nested = payload.putObject(field.getKey());
                Map<String, Kind> parts = kinds.nested().getOrDefault(field.getKey(), Map.of());
                compound.forEach((k, v) -> {
                    if (v != null) {
                        put(nested, k.toString(), v, parts.getOrDefault(k.toString(), Kind.PLAIN));
                    }
                });
            } else {
                put(payload, field.getKey(), value, kinds.top().getOrDefault(field.getKey(), Kind.PLAIN));
            }
        }
    }

    /**
     * Only the changed fields: a nulled field as JSON null, {@code BillingAddress.City} as
     * {@code "BillingAddress": {"City": ...}}. {@code LastModifiedDate} is always there, as in Salesforce's events.
     */
    private static void changedOnly(ChangeEvent event, Kinds kinds, ObjectNode payload) {
        for (String path : event.changedFields()) {
            int dot = path.indexOf('.');
            if (dot < 0) {
                Object value = event.fields().get(path);
                if (value instanceof Map<?, ?> compound) {
                    ObjectNode nested = payload.putObject(path);
                    Map<String, Kind> parts = kinds.nested().getOrDefault(path, Map.of());
                    compound.forEach((k, v) -> put(nested, k.toString(), v,
                            parts.getOrDefault(k.toString(), Kind.PLAIN)));
                } else {
                    put(payload, path, value, kinds.top().getOrDefault(path, Kind.PLAIN));
                }
                continue;
            }
            String compoundName = path.substring(0, dot);
            String component = path.substring(dot + 1);
            // A compound whose components are all null is absent from the bus's map: the component is then null.
            Object compound = event.fields().get(compoundName);
            Object value = compound instanceof Map<?, ?> m ? m.get(component) : null;
            ObjectNode nested = payload.has(compoundName) && payload.get(compoundName).isObject()
                    ? (ObjectNode) payload.get(compoundName) : payload.putObject(compoundName);
            put(nested, component, value,
                    kinds.nested().getOrDefault(compoundName, Map.of()).getOrDefault(component, Kind.PLAIN));
        }
        if (!payload.has("LastModifiedDate") && kinds.top().containsKey("LastModifiedDate")) {
            put(payload, "LastModifiedDate", event.fields().get("LastModifiedDate"), Kind.DATETIME);
        }
    }

    private static void put(ObjectNode node, String name, Object value, Kind kind) {
        if (value == null) {
            node.putNull(name);
        } else if (value instanceof Long millis && kind != Kind.PLAIN) {
            node.put(name, date(millis, kind));
        } else if (value instanceof String s) {
            node.put(name, s);
        } else if (value instanceof Boolean b) {
            node.put(name, b);
        } else if (value instanceof Integer i) {
            node.put(name, i);
        } else if (value instanceof Long l) {
            node.put(name, l);
        } else if (value instanceof BigDecimal d) {
            node.put(name, d);
        } else if (value instanceof Double d) {
            node.put(name, d);
        } else if (value instanceof byte[] bytes) {
            node.put(name, Base64.getEncoder().encodeToString(bytes));
        } else {
            node.put(name, value.toString());
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
