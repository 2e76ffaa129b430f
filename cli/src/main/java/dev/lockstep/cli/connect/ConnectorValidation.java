package dev.lockstep.cli.connect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Kafka Connect's validation ({@code PUT /connector-plugins/{class}/config/validate}) says about one connector
 * configuration: the errors of each key, and which keys hold secrets ({@code PASSWORD}), as the plugin itself
 * defines them.
 *
 * @param errors key → its error messages, only keys with errors, in Connect's order
 * @param secretKeys the keys the plugin declares as {@code PASSWORD}
 */
public record ConnectorValidation(Map<String, List<String>> errors, Set<String> secretKeys) {

    public ConnectorValidation {
        errors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        secretKeys = Set.copyOf(secretKeys);
    }

    /** Reads a validation answer ({@code {"error_count": n, "configs": [{"definition": ..., "value": ...}]}}). */
    public static ConnectorValidation of(JsonNode answer) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Set<String> secrets = new TreeSet<>();
        for (JsonNode config : answer.path("configs")) {
            JsonNode definition = config.path("definition");
            JsonNode value = config.path("value");
            String key = value.path("name").asText(definition.path("name").asText());
            if ("PASSWORD".equals(definition.path("type").asText())) {
                secrets.add(key);
            }
            List<String> messages = new java.util.ArrayList<>();
            value.path("errors").forEach(e -> messages.add(e.asText()));
            if (!messages.isEmpty()) {
                errors.put(key, messages);
            }
        }
        return new ConnectorValidation(errors, secrets);
    }

    public boolean valid() {
        return errors.isEmpty();
    }
}
