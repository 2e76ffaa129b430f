package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.ChangeTopic;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.ConnectClusterExtension.Message;
import dev.lockstep.cli.connect.ConnectorTemplate;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.PluginMetricsJmx;
import dev.lockstep.it.harness.SalesforceOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Polling mode ({@code object.poll.list}), Heroku Connect's method for objects without Change Data Capture: a
 * snapshot, then every second a {@code queryAll} from the SystemModstamp cursor (creates, updates, and soft deletes
 * as {@code IsDeleted = true}) and a getDeleted call (records deleted for good, which no query finds any more).
 * Also the worker's pre-flight check, {@code PUT /connector-plugins/.../config/validate}, against the same org.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourcePollModeIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String CONNECTOR = "sf-poll";
    private static final String TOPIC = "poll.Account";
    private static final List<String> FIELDS = List.of("Id", "Name", "Industry", "AnnualRevenue",
            "NumberOfEmployees", "BillingCity", "Description", "LastModifiedDate", "SystemModstamp");

    private static SalesforceOrg org;
    private static List<String> accounts;

    @BeforeAll
    static void seedAndDeploy() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(Map.of("Name", "Polled " + i, "Industry", "Energy", "AnnualRevenue", 10.5 + i,
                    "NumberOfEmployees", i, "BillingCity", "Nantes"));
        }
        accounts = org.create("Account", rows);
        CONNECT.deploy(pollingConnector());
        CONNECT.awaitRunning(CONNECTOR, 1);
    }

    private static ConnectorTemplate pollingConnector() {
        return org.sourceConnector(CONNECTOR, "poll", "Account", 1, Map.of(
                "object.poll.list", "Account", "poll.interval.ms", "1000"));
    }

    @AfterAll
    static void close() {
        org.close();
    }

    private static void awaitTopicMatchesOrg(String when) {
        Eventually.until(TOPIC + " to match Salesforce " + when, BOUND,
                () -> ChangeTopic.read(CONNECT, TOPIC).differencesFrom(org.records("Account"), FIELDS),
                List::isEmpty);
    }

    private static long metric(String name) {
        return ((Number) PluginMetricsJmx.of(CONNECTOR, "object", "Account").get(name)).longValue();
    }

    /** Waits until the reader has polled a few more times, so that anything it would still send has been sent. */
    private static void awaitMorePollCycles(int cycles) {
        long before = metric("api-calls");
        // Each cycle is one queryAll and one getDeleted call.
        Eventually.until(cycles + " more poll cycles", BOUND, () -> metric("api-calls"),
                calls -> calls >= before + 2L * cycles);
    }

    @Test
    @Order(1)
    void snapshotThenPolling() {
        awaitTopicMatchesOrg("after the snapshot");
        assertThat(ChangeTopic.read(CONNECT, TOPIC).withOp("r")).hasSize(30);
        Eventually.until("the reader to poll", BOUND,
                () -> PluginMetricsJmx.of(CONNECTOR, "object", "Account").get("phase"), "polling"::equals);
        // Change Data Capture is not used for a polled object.
        assertThat(SALESFORCE.emulator().cdc().deliveredCounts().keySet()).noneMatch(k -> k.contains("Account"));
    }

    @Test
    @Order(2)
    void pollingPicksUpCreatesAndUpdates() {
        String created = org.create("Account", Map.of("Name", "Created while polling", "Industry", "Retail"));
        org.update("Account", accounts.get(1), Map.of("Industry", "Banking", "Description", "updated"));
        Map<String, Object> nulling = new LinkedHashMap<>();
        nulling.put("BillingCity", null);
        nulling.put("AnnualRevenue", null);
        org.update("Account", accounts.get(2), nulling);
        awaitTopicMatchesOrg("after a create and updates");

        ChangeTopic topic = ChangeTopic.read(CONNECT, TOPIC);
        Message row = topic.messages().stream().filter(m -> m.payload() != null)
                .filter(m -> m.keyPayload().get("Id").asText().equals(created)).findFirst().orElseThrow();
        assertThat(row.payload().at("/source/complete").asBoolean()).isTrue();
        assertThat(row.payload().at("/source/snapshot").asText()).isEqualTo("false");
        assertThat(row.payload().at("/source/replay_id").isNull()).as("no stream position in poll mode").isTrue();
        assertThat(topic.state().get(accounts.get(2)).get("BillingCity").isNull()).isTrue();
    }

    @Test
    @Order(3)
    void aSoftDeleteArrivesThroughQueryAllAndAHardDeleteThroughGetDeleted() {
        String soft = accounts.get(3);
        String hard = accounts.get(4);
        String recycledThenPurged = accounts.get(5);
        org.delete("Account", soft);
        org.delete("Account", recycledThenPurged);
        awaitTopicMatchesOrg("after soft deletes");
        org.hardDelete(recycledThenPurged);
        org.hardDelete(hard);
        assertThat(org.rest().queryAll("SELECT Id FROM Account WHERE Id = '" + hard + "'").hasNext())
                .as("a hard-deleted record is gone even for queryAll").isFalse();
        // getDeleted reports whole minutes that have passed: move the org's clock past this one.
        SALESFORCE.emulator().clock().advance(Duration.ofSeconds(61));
        awaitTopicMatchesOrg("after a hard delete");

        awaitMorePollCycles(3);
        ChangeTopic topic = ChangeTopic.read(CONNECT, TOPIC);
        Map<String, Long> deletes = topic.withOp("d").stream()
                .collect(Collectors.groupingBy(m -> m.keyPayload().get("Id").asText(), Collectors.counting()));
        assertThat(deletes).as("one delete event per deleted record")
                .isEqualTo(Map.of(soft, 1L, hard, 1L, recycledThenPurged, 1L));
        assertThat(topic.tombstones()).isEqualTo(3);
        assertThat(metric("records-deleted")).isEqualTo(3);
    }

    @Test
    @Order(4)
    void validateReportsAWrongSecretOnItsKeyWithoutShowingIt() {
        String wrong = "wrong-secret-5f4dcc3b";
        Map<String, String> config = new HashMap<>(pollingConnector().config());
        config.put("name", "validate-me");
        config.put("salesforce.client.secret", wrong);
        ConfigInfos answer = CONNECT.cluster().validateConnectorConfig("SalesforceSourceConnector", config);
        Map<String, List<String>> errors = errors(answer);
        assertThat(answer.errorCount()).as("errors: %s", errors).isEqualTo(1);
        assertThat(errors).containsOnlyKeys("salesforce.client.secret");
        assertThat(errors.get("salesforce.client.secret").get(0)).contains("refused the consumer secret")
                .doesNotContain(wrong);
        assertThat(answer.toString()).doesNotContain(wrong);

        config.put("salesforce.client.secret", EmulatorConfig.DEFAULT_CLIENT_SECRET);
        ConfigInfos good = CONNECT.cluster().validateConnectorConfig("SalesforceSourceConnector", config);
        assertThat(good.errorCount()).as("errors: %s", errors(good)).isZero();

        config.put("object.include.list", "Account,Nope__c");
        config.put("object.poll.list", "Account");
        ConfigInfos unknown = CONNECT.cluster().validateConnectorConfig("SalesforceSourceConnector", config);
        assertThat(errors(unknown)).containsOnlyKeys("object.include.list");
        assertThat(errors(unknown).get("object.include.list").get(0)).contains("Nope__c");
    }

    private static Map<String, List<String>> errors(ConfigInfos infos) {
        return infos.configs().stream().map(ConfigInfo::configValue).filter(v -> !v.errors().isEmpty())
                .collect(Collectors.toMap(v -> v.name(), v -> v.errors()));
    }
}
