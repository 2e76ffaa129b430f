package dev.lockstep.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.cdc.ChangeEvent;
import dev.lockstep.emulator.cdc.ChangeEventBus;
import dev.lockstep.emulator.cdc.EventSchemas;
import dev.lockstep.emulator.cdc.StoredEvent;
import dev.lockstep.emulator.org.Org;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An org saved to a JSON file and loaded back: its records ({@link Org.SavedOrg}) and its Change Data Capture log
 * ({@link ChangeEventBus.SavedLog}), taken together so that the saved log holds exactly the events of the saved
 * records. A restored emulator is the same org to a subscriber: the same records and Ids, and the same replay ids,
 * so a client that stored a replay id resumes after it and sees only what changed since.
 *
 * <p>What is not saved: the schema (fields added through the admin API), sessions, query cursors, Bulk jobs,
 * limits, faults, the clock offset, the CDC channel selection and retention.
 */
public final class StateFile {

    static final String FORMAT = "lockstep-emulator-org";
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StateFile() {}

    /**
     * Writes the org and its event log to {@code file}, replacing it atomically: a crash while saving leaves the
     * previous file whole.
     */
    public static void save(Org org, ChangeEventBus bus, Path file) throws IOException {
        // The bus appends under the org's write lock, so holding the read lock keeps records and log in step.
        ObjectNode root = org.read(o -> toJson(o.orgId(), o.save(), bus.save()));
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            JSON.writeValue(out, root);
        }
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Replaces the org's records and event log with those saved in {@code file}. Call it before clients connect.
     *
     * @throws IllegalArgumentException when the file is not a saved org of this emulator's schema, naming what
     *     does not fit; nothing is changed then
     */
    public static void load(Org org, ChangeEventBus bus, Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null || !FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
            throw new IllegalArgumentException(file + " is not a saved org (format " + FORMAT + ", version " + VERSION
                    + ")");
        }
        if (!org.orgId().equals(root.path("orgId").asText())) {
            throw new IllegalArgumentException(file + " holds org " + root.path("orgId").asText() + ", not "
                    + org.orgId());
        }
        Org.SavedOrg records = readOrg(root);
        ChangeEventBus.SavedLog log = readLog(root.path("cdc"), bus);
        org.restore(records);
        bus.restore(log);
    }

    // ------------------------------------------------------------------------------------------------ writing

    private static ObjectNode toJson(String orgId, Org.SavedOrg saved, ChangeEventBus.SavedLog log) {
        ObjectNode root = NODES.objectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("orgId", orgId);
        root.put("savedAt", Instant.now().toString());
        ArrayNode records = root.putArray("records");
        for (Org.SavedRecord record : saved.records()) {
            ObjectNode r = records.addObject();
            r.put("id", record.id());
            r.put("object", record.object());
            if (record.deleted()) {
                r.put("deleted", true);
                r.put("deletedDate", record.deletedDate() == null ? null : record.deletedDate().toString());
            }
            ObjectNode values = r.putObject("values");
            record.values().forEach(values::put);
        }
        ObjectNode sequences = root.putObject("idSequences");
        saved.idSequences().forEach(sequences::put);
        ArrayNode deleted = root.putArray("deleteLog");
        for (Org.DeletedEntry entry : saved.deleted()) {
            deleted.addObject().put("id", entry.id()).put("object", entry.object())
                    .put("deletedDate", entry.deletedDate().toString());
        }
        ObjectNode cascades = root.putObject("cascadeParents");
        saved.cascadeParents().forEach(cascades::put);
        root.put("transactions", saved.transactions());

        ObjectNode cdc = root.putObject("cdc");
        cdc.put("lastReplayId", log.lastReplayId());
        cdc.put("trimmedThrough", log.trimmedThrough());
        cdc.put("commitNumber", log.commitNumber());
        cdc.put("appended", log.appended());
        ArrayNode events = cdc.putArray("events");
        for (StoredEvent stored : log.events()) {
            events.add(eventJson(stored));
        }
        return root;
    }

    private static ObjectNode eventJson(StoredEvent stored) {
        ChangeEvent event = stored.event();
        ObjectNode e = NODES.objectNode();
        e.put("replayId", stored.replayId());
        e.put("storedAt", stored.storedAtMillis());
        e.put("entity", event.entityName());
        e.put("schemaId", event.schema().id());
        strings(e.putArray("recordIds"), event.recordIds());
        e.put("changeType", event.changeType());
        e.put("changeOrigin", event.changeOrigin());
        e.put("transactionKey", event.transactionKey());
        e.put("sequenceNumber", event.sequenceNumber());
        e.put("commitTimestamp", event.commitTimestamp());
        e.put("commitNumber", event.commitNumber());
        e.put("commitUser", event.commitUser());
        strings(e.putArray("changedFields"), event.changedFields());
        strings(e.putArray("nulledFields"), event.nulledFields());
        strings(e.putArray("diffFields"), event.diffFields());
        ObjectNode fields = e.putObject("fields");
        event.fields().forEach((name, value) -> {
            if (value != null) {
                fields.set(name, value(value, event, name));
            }
        });
        return e;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    /**
     * An event value with its Java type kept: text and booleans as themselves, other types tagged
     * ({@code {"long": 1735689600000}}), because the Avro writer needs the exact type back.
     */
    private static JsonNode value(Object value, ChangeEvent event, String field) {
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        ObjectNode tagged = NODES.objectNode();
        if (value instanceof Integer i) {
            tagged.put("int", i);
        } else if (value instanceof Long l) {
            tagged.put("long", l);
        } else if (value instanceof Double d) {
            tagged.put("double", d);
        } else if (value instanceof BigDecimal d) {
            tagged.put("decimal", d.toPlainString());
        } else if (value instanceof byte[] bytes) {
            tagged.put("bytes", Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof Map<?, ?> components) {
            ObjectNode record = tagged.putObject("record");
            components.forEach((k, v) -> {
                if (v != null) {
                    record.set(k.toString(), value(v, event, field + "." + k));
                }
            });
        } else {
            throw new IllegalStateException("Cannot save change event field " + event.entityName() + "." + field
                    + " holding a " + value.getClass().getName());
        }
        return tagged;
    }

    // ------------------------------------------------------------------------------------------------ reading

    private static Org.SavedOrg readOrg(JsonNode root) {
        List<Org.SavedRecord> records = new ArrayList<>();
        for (JsonNode r : root.path("records")) {
            Map<String, String> values = new LinkedHashMap<>();
            r.path("values").properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
            records.add(new Org.SavedRecord(r.path("id").asText(), r.path("object").asText(), values,
                    r.path("deleted").asBoolean(false), instant(r.get("deletedDate"))));
        }
        Map<String, Long> sequences = new LinkedHashMap<>();
        root.path("idSequences").properties().forEach(e -> sequences.put(e.getKey(), e.getValue().asLong()));
        List<Org.DeletedEntry> deleted = new ArrayList<>();
        for (JsonNode d : root.path("deleteLog")) {
            deleted.add(new Org.DeletedEntry(d.path("id").asText(), d.path("object").asText(),
                    instant(d.get("deletedDate"))));
        }
        Map<String, String> cascades = new LinkedHashMap<>();
        root.path("cascadeParents").properties().forEach(e -> cascades.put(e.getKey(), e.getValue().asText()));
        return new Org.SavedOrg(records, sequences, deleted, cascades, root.path("transactions").asLong());
    }

    private static ChangeEventBus.SavedLog readLog(JsonNode cdc, ChangeEventBus bus) {
        List<StoredEvent> events = new ArrayList<>();
        for (JsonNode e : cdc.path("events")) {
            events.add(new StoredEvent(e.path("replayId").asLong(), e.path("storedAt").asLong(), event(e, bus)));
        }
        return new ChangeEventBus.SavedLog(cdc.path("lastReplayId").asLong(), cdc.path("trimmedThrough").asLong(),
                cdc.path("commitNumber").asLong(), cdc.path("appended").asLong(), events);
    }

    private static ChangeEvent event(JsonNode e, ChangeEventBus bus) {
        String entity = e.path("entity").asText();
        EventSchemas.EventSchema schema;
        try {
            schema = bus.schemaOf(entity);
        } catch (RuntimeException notFound) {
            throw new IllegalArgumentException("Saved change event " + e.path("replayId").asLong() + " is of "
                    + entity + ", an object this org does not have", notFound);
        }
        if (!schema.id().equals(e.path("schemaId").asText())) {
            throw new IllegalArgumentException("Saved change event " + e.path("replayId").asLong() + " of " + entity
                    + " has event schema " + e.path("schemaId").asText() + ", but " + entity + "'s fields now make "
                    + schema.id() + " (fields changed through the admin API are not saved)");
        }
        // In schema order with every data field present, as the bus builds them.
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name : schema.dataFieldNames()) {
            JsonNode value = e.path("fields").get(name);
            fields.put(name, value == null ? null : value(value));
        }
        e.path("fields").fieldNames().forEachRemaining(name -> {
            if (!fields.containsKey(name)) {
                throw new IllegalArgumentException("Saved change event " + e.path("replayId").asLong() + " has field "
                        + name + ", which " + schema.eventName() + " does not have");
            }
        });
        return new ChangeEvent(entity, schema.eventName(), strings(e.path("recordIds")), e.path("changeType").asText(),
                e.path("changeOrigin").asText(), e.path("transactionKey").asText(), e.path("sequenceNumber").asInt(),
                e.path("commitTimestamp").asLong(), e.path("commitNumber").asLong(), e.path("commitUser").asText(),
                strings(e.path("changedFields")), strings(e.path("nulledFields")), strings(e.path("diffFields")),
                fields, schema);
    }

    private static Object value(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.has("int")) {
            return node.get("int").intValue();
        }
        if (node.has("long")) {
            return node.get("long").longValue();
        }
        if (node.has("double")) {
            return node.get("double").doubleValue();
        }
        if (node.has("decimal")) {
            return new BigDecimal(node.get("decimal").asText());
        }
        if (node.has("bytes")) {
            return Base64.getDecoder().decode(node.get("bytes").asText());
        }
        if (node.has("record")) {
            Map<String, Object> components = new LinkedHashMap<>();
            node.get("record").properties().forEach(c -> components.put(c.getKey(), value(c.getValue())));
            return components;
        }
        throw new IllegalArgumentException("Not a saved event value: " + node);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Instant instant(JsonNode node) {
        return node == null || node.isNull() ? null : Instant.parse(node.asText());
    }
}
