package dev.lockstep.cli.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One read of one mapping file by {@link MappingFiles}: the file and mapping levels (version, connection, mappings,
 * object names, one table per mapping), with the problems and warnings found so far. Each mapping's {@code config}
 * is read by {@link MappingConfigReader}.
 */
final class MappingFileReader {

    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    void error(String where, String problem, String fix) {
        problems.add((where.isEmpty() ? "" : where + ": ") + problem + "; " + fix);
    }

    void unknownKeys(JsonNode object, Set<String> known, String where, String prefix) {
        for (Map.Entry<String, JsonNode> property : object.properties()) {
            String name = property.getKey();
            if (!known.contains(name)) {
                warnings.add(where + prefix + name + " is not a known key; ignored");
            }
        }
    }

    MappingFile file(JsonNode root) {
        if (!root.isObject()) {
            error("", "holds " + kind(root) + ", not a JSON object",
                    "a mapping file is an object with \"version\": 1 and \"mappings\": [...]");
            return null;
        }
        unknownKeys(root, MappingFiles.FILE_KEYS, "", "");
        JsonNode version = root.path("version");
        if (version.isMissingNode()) {
            error("version", "missing", "add \"version\": 1");
        } else if (!version.isInt() || version.asInt() != MappingFiles.VERSION) {
            error("version", version + " is not supported", "this release reads version 1, Heroku Connect's"
                    + " export format");
        }
        JsonNode connection = root.path("connection");
        if (connection.isMissingNode() || connection.isNull()) {
            connection = JsonNodeFactory.instance.objectNode();
        } else if (!connection.isObject()) {
            error("connection", "must be an object, not " + kind(connection),
                    "remove it or keep the connection block of a Heroku Connect export as it is");
        }
        JsonNode mappingsNode = root.path("mappings");
        List<Mapping> mappings = new ArrayList<>();
        if (!mappingsNode.isArray()) {
            error("mappings", mappingsNode.isMissingNode() ? "missing"
                    : "must be an array, not " + kind(mappingsNode),
                    "add \"mappings\": [{\"object_name\": \"Account\", \"config\": {...}}]");
        } else if (mappingsNode.isEmpty()) {
            error("mappings", "empty", "add at least one mapping, e.g. {\"object_name\": \"Account\", \"config\":"
                    + " {\"access\": \"read_only\", \"fields\": {\"Name\": {}}}}");
        } else {
            for (int i = 0; i < mappingsNode.size(); i++) {
                Mapping mapping = mapping(i, mappingsNode.get(i));
                if (mapping != null) {
                    mappings.add(mapping);
                }
            }
            duplicateTables(mappings);
        }
        return new MappingFile(version.asInt(MappingFiles.VERSION), connection, mappings);
    }

    private Mapping mapping(int position, JsonNode node) {
        String at = "mappings[" + position + "]";
        if (!node.isObject()) {
            error(at, "must be an object, not " + kind(node), "write {\"object_name\": ..., \"config\": {...}}");
            return null;
        }
        JsonNode nameNode = node.path("object_name");
        String objectName = nameNode.asText("");
        if (!nameNode.isTextual() || objectName.isBlank()) {
            error(at, "object_name: missing", "add the Salesforce object's API name, e.g. \"object_name\": "
                    + "\"Account\"");
            return null;
        }
        String where = at + " (" + objectName + ")";
        if (!Identifiers.isApiName(objectName)) {
            error(where, "object_name: '" + objectName + "' is not a Salesforce API name",
                    "write the API name (letters, digits and underscores, e.g. Invoice__c), not the label");
            return null;
        }
        unknownKeys(node, MappingFiles.MAPPING_KEYS, where + ": ", "");
        JsonNode config = node.path("config");
        if (!config.isObject()) {
            error(where, "config: " + (config.isMissingNode() ? "missing" : "must be an object, not "
                    + kind(config)), "add \"config\": {\"access\": \"read_only\", \"fields\": {...}}");
            return null;
        }
        return new MappingConfigReader(this, position, objectName, where, config).read();
    }

    /** Two mappings into one table would overwrite each other's rows. */
    private void duplicateTables(List<Mapping> mappings) {
        Map<String, Mapping> byTable = new HashMap<>();
        for (Mapping mapping : mappings) {
            Mapping first = byTable.putIfAbsent(mapping.qualifiedTable(), mapping);
            if (first == null) {
                continue;
            }
            if (first.objectName().equalsIgnoreCase(mapping.objectName())) {
                error(mapping.describe(), "object_name: " + mapping.objectName() + " is mapped twice into "
                        + mapping.qualifiedTable() + " (also " + first.describe() + ")",
                        "remove one of the two mappings, or give one a table_name of its own");
            } else {
                error(mapping.describe(), "config.table_name: " + mapping.qualifiedTable()
                        + " is already the table of " + first.describe(), "set a different table_name");
            }
        }
    }

    List<String> problems() {
        return problems;
    }

    List<String> warnings() {
        return warnings;
    }

    /** How a JSON value is named in messages: "an array", "a string", ... */
    static String kind(JsonNode node) {
        if (node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
