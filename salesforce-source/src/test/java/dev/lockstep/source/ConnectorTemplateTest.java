package dev.lockstep.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.source.config.AuthFlow;
import dev.lockstep.source.config.SalesforceSourceConnectorConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code connect-configs/connectors/salesforce-source.json} holds only keys the connector or the worker knows. */
class ConnectorTemplateTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
    /** Connector-level keys the worker reads, not the connector. */
    private static final Set<String> WORKER_KEYS = Set.of("connector.class", "tasks.max",
            "topic.creation.default.replication.factor", "topic.creation.default.partitions");

    @Test
    void theTemplateFilledInParsesIntoAValidConfiguration() throws Exception {
        String text;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("dev/lockstep/connect-configs/salesforce-source.json")) {
            assertThat(in).as("salesforce-source.json on the test class path").isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> values = Map.of("CONNECTOR_NAME", "salesforce-source", "TASKS_MAX", "2",
                "SALESFORCE_LOGIN_URL", "https://acme.my.salesforce.com", "SALESFORCE_CLIENT_ID", "3MVG9-key",
                "SALESFORCE_CLIENT_SECRET", "secret", "OBJECTS", "Account,Contact", "TOPIC_PREFIX", "lockstep",
                "REPLICATION_FACTOR", "1");
        Set<String> placeholders = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            placeholders.add(m.group(1));
            m.appendReplacement(filled, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        m.appendTail(filled);
        assertThat(placeholders).isEqualTo(new TreeSet<>(values.keySet()));

        JsonNode body = new ObjectMapper().readTree(filled.toString());
        Map<String, String> config = new LinkedHashMap<>();
        body.get("config").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));

        assertThat(body.get("name").asText()).isEqualTo("salesforce-source");
        assertThat(config.get("connector.class")).isEqualTo(SalesforceSourceConnector.class.getName());
        assertThat(config.keySet()).allSatisfy(key -> assertThat(
                WORKER_KEYS.contains(key) || SalesforceSourceConnectorConfig.CONFIG_DEF.names().contains(key))
                .as(key + " is a key of the connector or the worker").isTrue());
        SalesforceSourceConnectorConfig parsed = new SalesforceSourceConnectorConfig(config);
        assertThat(parsed.connection().authFlow()).isEqualTo(AuthFlow.CLIENT_CREDENTIALS);
        assertThat(parsed.objects()).containsExactly("Account", "Contact");
    }
}
