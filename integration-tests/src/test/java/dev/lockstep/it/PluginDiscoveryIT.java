package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.cli.connect.ConnectorTemplate;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.PluginArchive;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What workers with our archive and the Debezium plugins on their plugin.path show through the REST API. Two
 * distributed workers, as in a production cluster: each must discover the same plugins.
 */
class PluginDiscoveryIT {

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension(2);

    /** The org the Salesforce source's validate() logs in to. */
    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    private static final String VERSION = System.getProperty("lockstep.version");
    private static final String SOURCE = "dev.lockstep.source.SalesforceSourceConnector";

    private static Map<String, JsonNode> listedPlugins() {
        Map<String, JsonNode> byClass = new HashMap<>();
        for (JsonNode plugin : CONNECT.rest("connector-plugins?connectorsOnly=false")) {
            byClass.put(plugin.get("class").asText(), plugin);
        }
        return byClass;
    }

    @Test
    void everyPluginTheArchiveDeclaresIsListedByTheWorker() {
        Set<String> declared = new TreeSet<>();
        PluginArchive.declaredPlugins().values().forEach(declared::addAll);
        assertThat(declared).as("plugins declared in the archive's META-INF/services").contains(
                "dev.lockstep.source.SalesforceSourceConnector",
                "dev.lockstep.sink.SalesforceSinkConnector",
                "dev.lockstep.transforms.NarrowPartialUpdate",
                "dev.lockstep.transforms.HerokuConnectRow",
                "dev.lockstep.transforms.PostgresValues");

        assertThat(CONNECT.workerUrls()).hasSize(2).allSatisfy(worker -> {
            Set<String> listed = new TreeSet<>();
            CONNECT.rest(worker, "connector-plugins?connectorsOnly=false")
                    .forEach(plugin -> listed.add(plugin.get("class").asText()));
            assertThat(listed).as("plugins listed by " + worker).containsAll(declared);
        });
    }

    @Test
    void ourPluginsReportThisBuildsVersionAndType() {
        Map<String, JsonNode> listed = listedPlugins();

        assertThat(listed.get("dev.lockstep.source.SalesforceSourceConnector").get("type").asText()).isEqualTo("source");
        assertThat(listed.get("dev.lockstep.sink.SalesforceSinkConnector").get("type").asText()).isEqualTo("sink");
        assertThat(listed.get("dev.lockstep.transforms.NarrowPartialUpdate").get("type").asText())
                .isEqualTo("transformation");
        PluginArchive.declaredPlugins().values().stream().flatMap(Set::stream).forEach(plugin ->
                assertThat(listed.get(plugin).get("version").asText()).as(plugin).isEqualTo(VERSION));
    }

    @Test
    void debeziumPluginsAreLoadedFromThePluginPathToo() {
        assertThat(listedPlugins()).containsKeys(
                "io.debezium.connector.postgresql.PostgresConnector",
                "io.debezium.connector.jdbc.JdbcSinkConnector");
    }

    @Test
    void transformConfigIsServedByTheWorker() {
        JsonNode config = CONNECT.rest("connector-plugins/dev.lockstep.transforms.NarrowPartialUpdate/config");

        assertThat(StreamSupport.stream(config.spliterator(), false).map(key -> key.get("name").asText()))
                .contains("key.fields");
    }

    /** The source template filled in for the emulated org. */
    private static ConnectorTemplate salesforceSource() {
        return ConnectorTemplate.load("salesforce-source.json", Map.of("CONNECTOR_NAME", "salesforce-source",
                "TASKS_MAX", "1", "SALESFORCE_LOGIN_URL", SALESFORCE.emulator().baseUri().toString(),
                "SALESFORCE_CLIENT_ID", EmulatorConfig.DEFAULT_CLIENT_ID,
                "SALESFORCE_CLIENT_SECRET", EmulatorConfig.DEFAULT_CLIENT_SECRET, "OBJECTS", "Account,Contact",
                "TOPIC_PREFIX", "lockstep", "REPLICATION_FACTOR", "1"));
    }

    /** The validation errors the worker reports for a source named salesforce-source, by key with errors. */
    private static Map<String, List<String>> validationErrors(Map<String, String> config) {
        Map<String, String> named = new HashMap<>(config);
        named.put("name", "salesforce-source");
        ConfigInfos infos = CONNECT.cluster().validateConnectorConfig(SOURCE, named);
        Map<String, List<String>> errors = new TreeMap<>();
        for (ConfigInfo info : infos.configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        return errors;
    }

    @Test
    void theWorkerValidatesTheSourceConfigurationAgainstTheOrg() {
        assertThat(validationErrors(salesforceSource().config())).isEmpty();

        Map<String, String> wrong = new HashMap<>(salesforceSource().config());
        wrong.put("salesforce.client.secret", "not-the-secret");
        wrong.put("object.include.list", "Account,Invoice__c");
        assertThat(validationErrors(wrong)).containsOnlyKeys("salesforce.client.secret");

        wrong.put("salesforce.client.secret", EmulatorConfig.DEFAULT_CLIENT_SECRET);
        Map<String, List<String>> errors = validationErrors(wrong);
        assertThat(errors).containsOnlyKeys("object.include.list");
        assertThat(errors.get("object.include.list")).singleElement().asString().contains("Invoice__c");
    }

    @Test
    void sourceConnectorFromTheArchiveRunsItsTasks() throws Exception {
        CONNECT.deploy(salesforceSource().with(Map.of("salesforce.pubsub.endpoint",
                SALESFORCE.emulator().pubsub().target(), "salesforce.pubsub.plaintext", "true")));
        CONNECT.awaitRunning("salesforce-source", 1);
        CONNECT.cluster().deleteConnector("salesforce-source");
    }
}
