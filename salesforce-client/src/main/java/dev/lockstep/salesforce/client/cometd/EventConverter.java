package dev.lockstep.salesforce.client.cometd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.rest.RestApi;
import dev.lockstep.salesforce.client.streaming.ChangeEvent;
import dev.lockstep.salesforce.client.streaming.ChangeEventHeader;
import dev.lockstep.salesforce.client.streaming.ReplayId;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Turns the {@code data} of a CometD change event ({@code {schema, payload, event}}, reference §7.3) into the
 * transport-neutral {@link ChangeEvent}, typing each value by the event's Avro schema: JSON cannot tell a date from a
 * string or an int from a double, the schema's types and {@code doc} attributes can. Schemas are fetched once per
 * schema id through the REST eventSchema resource and cached for the life of the client (an id names one immutable
 * schema; a changed object gets a new id).
 *
 * <p>Thread-safe. {@link #convert} may call Salesforce (first event of a schema), so it must not run on a
 * CometD/Jetty thread.
 */
final class EventConverter {

    static final String TRANSPORT = "cometd";

    /** How one field's JSON value becomes a Java value. */
    enum Kind { STRING, BOOLEAN, INT, LONG, DOUBLE, BYTES, DATE, DATETIME, TIME, RECORD, STRING_OR_RECORD, OTHER }

    /** A field's kind; {@code record} holds the components of a compound (RECORD, STRING_OR_RECORD). */
    record FieldType(Kind kind, Map<String, FieldType> record) {}

    private final Function<String, JsonNode> schemaSource;
    private final Map<String, Map<String, FieldType>> schemas = new ConcurrentHashMap<>();

    /** @param schemaSource schema id → Avro schema JSON; in production {@link RestApi#eventSchema} */
    EventConverter(Function<String, JsonNode> schemaSource) {
        this.schemaSource = schemaSource;
    }

    /** How many schemas were fetched (each id once). */
    int cachedSchemas() {
        return schemas.size();
    }

    ChangeEvent convert(String channel, Map<String, Object> data) {
        String schemaId = (String) data.get("schema");
        Map<String, Object> payload = map(data.get("payload"), "payload");
        Map<String, Object> event = map(data.get("event"), "event");
        long replayId = ((Number) event.get("replayId")).longValue();
        ChangeEventHeader header = header(map(payload.get("ChangeEventHeader"), "ChangeEventHeader"));
        Map<String, FieldType> types = schemaId == null ? Map.of() : schemas.computeIfAbsent(schemaId, this::fetch);
        Map<String, Object> fields = new LinkedHashMap<>();
        List<String> diffFields = new ArrayList<>();
        for (Map.Entry<String, Object> e : payload.entrySet()) {
            if (e.getKey().equals("ChangeEventHeader")) {
                continue;
            }
            FieldType type = types.get(e.getKey());
            if (e.getValue() instanceof Map<?, ?> m && m.size() == 1 && m.get("diff") instanceof String diff
                    && (type == null || type.kind() == Kind.STRING)) {
                // Long text sent as {"diff": "..."} (reference §5.3): Pub/Sub's form, diff text plus diffFields.
                fields.put(e.getKey(), diff);
                diffFields.add(e.getKey());
            } else {
                fields.put(e.getKey(), value(type, e.getValue(), e.getKey()));
            }
        }
        if (!diffFields.isEmpty()) {
            header = new ChangeEventHeader(header.entityName(), header.recordIds(), header.changeType(),
                    header.changeOrigin(), header.transactionKey(), header.sequenceNumber(),
                    header.commitTimestamp(), header.commitNumber(), header.commitUser(), header.changedFields(),
                    header.nulledFields(), diffFields);
        }
        return new ChangeEvent(channel, ReplayId.ofLong(replayId), schemaId, header,
                Collections.unmodifiableMap(fields), TRANSPORT);
    }

    private Map<String, FieldType> fetch(String schemaId) {
        JsonNode schema = schemaSource.apply(schemaId);
        if (!"record".equals(schema.path("type").asText())) {
            throw new SalesforceException(ErrorCategory.FATAL, 200, null, "The event schema " + schemaId
                    + " is not an Avro record schema");
        }
        return recordFields(schema, new HashMap<>());
    }

    /** The fields of an Avro record; {@code named} collects named types, which Avro references by name after. */
    private static Map<String, FieldType> recordFields(JsonNode record, Map<String, FieldType> named) {
        Map<String, FieldType> fields = new HashMap<>();
        FieldType self = new FieldType(Kind.RECORD, fields);
        String name = record.path("name").asText();
        named.put(name, self);
        if (record.hasNonNull("namespace")) {
            named.put(record.get("namespace").asText() + "." + name, self);
        }
        for (JsonNode field : record.path("fields")) {
            fields.put(field.path("name").asText(), fieldType(field.path("type"), field.path("doc").asText(""),
                    named));
        }
        return fields;
    }

    private static FieldType fieldType(JsonNode type, String doc, Map<String, FieldType> named) {
        List<JsonNode> branches = new ArrayList<>();
        if (type.isArray()) {
            type.forEach(branches::add);
        } else {
            branches.add(type);
        }
        FieldType record = null;
        Kind primitive = null;
        for (JsonNode branch : branches) {
            FieldType t = branchType(branch, named);
            if (t == null) {
                continue;
            }
            if (t.kind() == Kind.RECORD) {
                record = t;
            } else if (primitive == null) {
                primitive = t.kind();
            }
        }
        if (record != null) {
            // Account's Name is ["null","string",Switchable_PersonName]: business accounts send the string.
            return primitive == Kind.STRING ? new FieldType(Kind.STRING_OR_RECORD, record.record()) : record;
        }
        if (primitive == null) {
            return new FieldType(Kind.OTHER, null);
        }
        // Salesforce sends dates as Avro longs (Pub/Sub) and ISO strings (CometD); only doc tells which kind.
        if (primitive == Kind.LONG || primitive == Kind.STRING) {
            if (doc.contains("DateOnly")) {
                return new FieldType(Kind.DATE, null);
            }
            if (doc.contains("DateTime")) {
                return new FieldType(Kind.DATETIME, null);
            }
            if (doc.contains("TimeOnly")) {
                return new FieldType(Kind.TIME, null);
            }
        }
        return new FieldType(primitive, null);
    }

    /** The type of one union branch; null for {@code "null"}. */
    private static FieldType branchType(JsonNode branch, Map<String, FieldType> named) {
        if (branch.isObject()) {
            String t = branch.path("type").asText();
            if (t.equals("record")) {
                return new FieldType(Kind.RECORD, recordFields(branch, named));
            }
            return branchType(branch.path("type"), named);
        }
        String t = branch.asText();
        switch (t) {
            case "null":
                return null;
            case "string":
            case "enum":
                return new FieldType(Kind.STRING, null);
            case "boolean":
                return new FieldType(Kind.BOOLEAN, null);
            case "int":
                return new FieldType(Kind.INT, null);
            case "long":
                return new FieldType(Kind.LONG, null);
            case "float":
            case "double":
                return new FieldType(Kind.DOUBLE, null);
            case "bytes":
                return new FieldType(Kind.BYTES, null);
            default:
                FieldType ref = named.get(t);
                return ref != null ? ref : new FieldType(Kind.OTHER, null);
        }
    }

    private static Object value(FieldType type, Object json, String name) {
        if (json == null) {
            return null;
        }
        Kind kind = type == null ? Kind.OTHER : type.kind();
        try {
            switch (kind) {
                case STRING:
                    return json instanceof String ? json : String.valueOf(json);
                case BOOLEAN:
                    return json instanceof Boolean ? json : Boolean.valueOf(json.toString());
                case INT:
                    return json instanceof Number n ? Integer.valueOf(Math.toIntExact(n.longValue()))
                            : Integer.valueOf(json.toString());
                case LONG:
                    return json instanceof Number n ? Long.valueOf(n.longValue()) : Long.valueOf(json.toString());
                case DOUBLE:
                    return json instanceof Number n ? Double.valueOf(n.doubleValue()) : Double.valueOf(json.toString());
                case BYTES:
                    return Base64.getDecoder().decode(json.toString());
                case DATE:
                    return json instanceof Number n ? Instant.ofEpochMilli(n.longValue()).atZone(ZoneOffset.UTC)
                            .toLocalDate() : LocalDate.parse(json.toString().substring(0, 10));
                case DATETIME:
                    return json instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : instant(json.toString());
                case TIME:
                    return json instanceof Number n ? LocalTime.ofNanoOfDay(n.longValue() * 1_000_000L)
                            : LocalTime.parse(stripZone(json.toString()));
                case RECORD:
                case STRING_OR_RECORD:
                    if (json instanceof Map<?, ?> m) {
                        Map<String, Object> out = new LinkedHashMap<>();
                        m.forEach((k, v) -> out.put(k.toString(), value(type.record().get(k.toString()), v,
                                name + "." + k)));
                        return Collections.unmodifiableMap(out);
                    }
                    return kind == Kind.STRING_OR_RECORD ? json.toString() : plain(json);
                default:
                    return plain(json);
            }
        } catch (RuntimeException e) {
            // Never pass a value on untyped or drop it: the event cannot be applied, so the stream stops here.
            throw new SalesforceException(ErrorCategory.FATAL, 0, null, "The CometD event field " + name
                    + " does not hold a valid " + kind + " value", e);
        }
    }

    /** A value the schema does not describe: JSON arrays become lists, objects maps, the rest as parsed. */
    private static Object plain(Object json) {
        if (json instanceof Object[] array) {
            List<Object> list = new ArrayList<>();
            for (Object o : array) {
                list.add(plain(o));
            }
            return list;
        }
        if (json instanceof List<?> l) {
            List<Object> list = new ArrayList<>();
            l.forEach(o -> list.add(plain(o)));
            return list;
        }
        if (json instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k.toString(), plain(v)));
            return out;
        }
        return json;
    }

    /** ISO date-times: {@code 2024-09-03T06:59:38.000Z}, and the {@code +0000} offset REST uses. */
    private static Instant instant(String text) {
        if (text.endsWith("+0000")) {
            return Instant.parse(text.substring(0, text.length() - 5) + "Z");
        }
        return Instant.parse(text);
    }

    private static String stripZone(String time) {
        return time.endsWith("Z") ? time.substring(0, time.length() - 1) : time;
    }

    private static ChangeEventHeader header(Map<String, Object> h) {
        Object timestamp = h.get("commitTimestamp");
        return new ChangeEventHeader((String) h.get("entityName"), strings(h.get("recordIds")),
                (String) h.get("changeType"), (String) h.get("changeOrigin"), (String) h.get("transactionKey"),
                number(h.get("sequenceNumber")).intValue(),
                timestamp instanceof Number n ? Instant.ofEpochMilli(n.longValue()) : instant(timestamp.toString()),
                number(h.get("commitNumber")).longValue(), (String) h.get("commitUser"),
                strings(h.get("changedFields")), List.of(), List.of());
    }

    private static Number number(Object value) {
        return value instanceof Number n ? n : Long.valueOf(0);
    }

    /** A JSON array of strings: CometD's JSON gives Object[], another JSON context a List. */
    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Object[] array) {
            for (Object o : array) {
                out.add(String.valueOf(o));
            }
        } else if (value instanceof List<?> list) {
            list.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new SalesforceException(ErrorCategory.FATAL, 0, null, "A CometD event without its " + what);
        }
        return (Map<String, Object>) value;
    }
}
