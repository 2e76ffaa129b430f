package dev.lockstep.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.source.config.SalesforceSourceConnectorConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class ConnectorSecretsTest {

    @Test
    void everyPasswordKeyOfTheSourceIsASecret() {
        SalesforceSourceConnectorConfig.CONFIG_DEF.configKeys().forEach((name, key) -> {
            if (key.type == ConfigDef.Type.PASSWORD) {
                assertThat(ConnectorSecrets.secret(name)).as(name).isTrue();
            }
        });
        assertThat(ConnectorSecrets.secret("salesforce.client.secret")).isTrue();
        assertThat(ConnectorSecrets.secret("salesforce.jwt.private.key")).isTrue();
    }

    @Test
    void debeziumPasswordsAreSecretsAndOrdinaryKeysAreNot() {
        assertThat(ConnectorSecrets.secret("connection.password")).isTrue();
        assertThat(ConnectorSecrets.secret("database.password")).isTrue();
        assertThat(ConnectorSecrets.secret("connection.username")).isFalse();
        assertThat(ConnectorSecrets.secret("salesforce.jwt.private.key.file")).isFalse();
        assertThat(ConnectorSecrets.secret("topic.prefix")).isFalse();
    }

    @Test
    void maskingHidesSecretValuesKeepsOrderAndShowsProviderReferences() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("salesforce.client.id", "client");
        config.put("salesforce.client.secret", "s3cr3t");
        config.put("connection.password", "${file:/etc/lockstep/secrets.properties:pg.password}");
        config.put("custom.key", "hidden by the plugin's own definition");
        config.put("salesforce.password", "");

        Map<String, String> masked = ConnectorSecrets.mask(config, Set.of("custom.key"));

        assertThat(masked).containsExactly(
                Map.entry("salesforce.client.id", "client"),
                Map.entry("salesforce.client.secret", ConnectorSecrets.MASK),
                Map.entry("connection.password", "${file:/etc/lockstep/secrets.properties:pg.password}"),
                Map.entry("custom.key", ConnectorSecrets.MASK),
                Map.entry("salesforce.password", ""));
    }
}
