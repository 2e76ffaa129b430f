package dev.lockstep.cli.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connector configuration from {@code connect-configs/connectors/}, as a user deploys it: a Connect REST request
 * body {@code {"name": ..., "config": {...}}} whose {@code ${PLACEHOLDER}}s are filled in. A placeholder left
 * unfilled fails loudly, naming the file and the placeholder, instead of reaching a connector as a literal.
 */
public record ConnectorTemplate(String name, Map<String, String> config) {

    private static final String CLASSPATH_DIR = "dev/lockstep/connect-configs/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Loads {@code file} (e.g. {@code debezium-postgres-source.json}) and fills in {@code values}. */
    public static ConnectorTemplate load(String file, Map<String, String> values) {
        String text = read(file);
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder();
        TreeSet<String> missing = new TreeSet<>();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                missing.add(m.group(1));
                value = m.group();
            }
            m.appendReplacement(filled, Matcher.quoteReplacement(jsonStringContent(value)));
        }
        m.appendTail(filled);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("connect-configs/connectors/" + file + " needs values for " + missing
                    + "; given: " + new TreeSet<>(values.keySet()));
        }
        try {
            JsonNode body = JSON.readTree(filled.toString());
            Map<String, String> config = new LinkedHashMap<>();
            body.get("config").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
            return new ConnectorTemplate(body.get("name").asText(), config);
        } catch (IOException e) {
            throw new UncheckedIOException("connect-configs/connectors/" + file + " is not valid JSON once filled in", e);
        }
    }

    /** A copy with some keys added or replaced, for a test that needs one setting the template does not have. */
    public ConnectorTemplate with(Map<String, String> overrides) {
        Map<String, String> config = new LinkedHashMap<>(this.config);
        config.putAll(overrides);
        return new ConnectorTemplate(name, config);
    }

    private static String read(String file) {
        try (InputStream in = ConnectorTemplate.class.getClassLoader().getResourceAsStream(CLASSPATH_DIR + file)) {
            if (in == null) {
                throw new IllegalArgumentException("No connector template " + file + " in connect-configs/connectors/");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value as it must appear between JSON quotes. */
    private static String jsonStringContent(String value) {
        try {
            String quoted = JSON.writeValueAsString(value);
            return quoted.substring(1, quoted.length() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
