package dev.lockstep.emulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.SObjectDef;
import dev.lockstep.emulator.org.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records in REST JSON: {@code attributes {type, url}}, then fields in describe order and canonical case. */
public final class RecordJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RecordJson() {}

    /** The record with every field, or only {@code fields} when given. */
    public static ObjectNode render(RecordView view, List<FieldDef> fields, String prefix) {
        ObjectNode o = NODES.objectNode();
        o.set("attributes", attributes(view.def(), view.id(), prefix));
        for (FieldDef field : fields) {
            o.set(field.name(), value(view, field, prefix));
        }
        return o;
    }

    public static ObjectNode attributes(SObjectDef def, String id, String prefix) {
        ObjectNode attributes = NODES.objectNode();
        attributes.put("type", def.name());
        attributes.put("url", prefix + "/sobjects/" + def.name() + "/" + id);
        return attributes;
    }

    /** One field's JSON value; base64 fields are the relative URL of their blob, as Salesforce returns them. */
    public static JsonNode value(RecordView view, FieldDef field, String prefix) {
        Object value = view.get(field);
        if (value == null) {
            return NODES.nullNode();
        }
        if (field.type() == FieldType.BASE64) {
            return NODES.textNode(prefix + "/sobjects/" + view.def().name() + "/" + view.id() + "/" + field.name());
        }
        if (value instanceof Map<?, ?> compound) {
            ObjectNode o = NODES.objectNode();
            compound.forEach((k, v) -> o.set(k.toString(), Values.toJson(v)));
            return o;
        }
        return Values.toJson(value);
    }

    /** The fields named in {@code ?fields=A,B}, or every field; an unknown name is 400 {@code INVALID_FIELD}. */
    public static List<FieldDef> fields(SObjectDef def, String list) {
        if (list == null || list.isBlank()) {
            return new ArrayList<>(def.fields());
        }
        List<FieldDef> fields = new ArrayList<>();
        for (String name : list.split(",")) {
            String trimmed = name.trim();
            fields.add(def.field(trimmed).orElseThrow(() -> new OrgException(400, "INVALID_FIELD",
                    "No such column '" + trimmed + "' on sobject of type " + def.name())));
        }
        return fields;
    }

    /**
     * The typed field values of a request body, by canonical field name. {@code attributes} is skipped; an unknown
     * field is 400 {@code INVALID_FIELD}, a value of the wrong type 400 {@code JSON_PARSER_ERROR}.
     */
    public static Map<String, Object> input(SObjectDef def, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new OrgException(400, "JSON_PARSER_ERROR", "Expected a JSON object for a " + def.name() + " record");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : body.properties()) {
            String name = entry.getKey();
            if (name.equals("attributes")) {
                continue;
            }
            FieldDef field = def.field(name).orElseThrow(() -> new OrgException(400, "INVALID_FIELD",
                    "No such column '" + name + "' on sobject of type " + def.name(), List.of(name)));
            values.put(field.name(), Values.fromJson(field, entry.getValue()));
        }
        return values;
    }
}
