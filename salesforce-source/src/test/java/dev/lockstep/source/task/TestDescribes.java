package dev.lockstep.source.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Describes reduced to what load ordering reads: names and reference fields. */
final class TestDescribes {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TestDescribes() {
    }

    /**
     * A describe with one reference field {@code <Parent>Id} per parent, plus the usual reference to an object no
     * test lists (OwnerId → User).
     */
    static ObjectNode describe(String object, String... parents) {
        ObjectNode d = JSON.createObjectNode().put("name", object);
        ArrayNode fields = d.putArray("fields");
        fields.addObject().put("name", "Id").put("type", "id");
        fields.addObject().put("name", "OwnerId").put("type", "reference").putArray("referenceTo").add("User");
        fields.addObject().put("name", "Name").put("type", "string");
        for (String parent : parents) {
            reference(d, parent + "Id", parent);
        }
        return d;
    }

    /** Adds a reference field pointing at {@code targets} (several: a polymorphic field). */
    static ObjectNode reference(ObjectNode describe, String field, String... targets) {
        ArrayNode referenceTo = ((ArrayNode) describe.get("fields")).addObject().put("name", field)
                .put("type", "reference").putArray("referenceTo");
        for (String target : targets) {
            referenceTo.add(target);
        }
        return describe;
    }

    /** Describes by object name, in the given (listed) order. */
    static Map<String, JsonNode> listed(JsonNode... describes) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode d : describes) {
            m.put(d.get("name").asText(), d);
        }
        return m;
    }
}
