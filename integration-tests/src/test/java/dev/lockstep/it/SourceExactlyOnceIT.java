package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.BackgroundWrites;
import dev.lockstep.it.harness.ChangeTopic;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.ConnectClusterExtension.Message;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.PluginMetricsJmx;
import dev.lockstep.it.harness.SalesforceOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source connector on a worker with exactly-once source support: deployed with
 * {@code exactly.once.support=required} (the worker asks the connector, which must answer SUPPORTED), so every
 * poll's records and offsets are committed in one transaction. Restarted while changes are being written, the
 * task resumes from exactly what was committed: a read_committed consumer sees every change once (each stream
 * event's replay id at most once) and the topic folds into what the org holds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceExactlyOnceIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    /** A single broker must host the transaction state log itself (replication factor 3 by default). */
    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("exactly.once.source.support", "enabled")
            .workerProperty("value.converter.decimal.format", "NUMERIC")
            .brokerProperty("transaction.state.log.replication.factor", "1")
            .brokerProperty("transaction.state.log.min.isr", "1");

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String CONNECTOR = "sf-eos";
    private static final String TOPIC = "eos.Account";
    private static final List<String> FIELDS = List.of("Id", "Name", "Industry", "NumberOfEmployees",
            "Description", "LastModifiedDate");

    private static SalesforceOrg org;
    private static List<String> accounts;

    @BeforeAll
    static void seedAndDeploy() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(Map.of("Name", "Account " + i, "Industry", "Energy", "NumberOfEmployees", i));
        }
        accounts = new ArrayList<>(org.create("Account", rows));
        CONNECT.deploy(org.sourceConnector(CONNECTOR, "eos", "Account", 1, Map.of(
                "exactly.once.support", "required")));
        CONNECT.awaitRunning(CONNECTOR, 1);
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

    @Test
    @Order(1)
    void snapshotIsCommittedInTransactions() {
        awaitTopicMatchesOrg("after the snapshot");
        List<Message> messages = ChangeTopic.read(CONNECT, TOPIC).messages();
        assertThat(messages.stream().filter(m -> m.payload() != null && "r".equals(m.payload().get("op").asText())))
                .hasSize(50);
        // Transaction markers take offsets of their own: a transactional producer leaves gaps.
        Message last = messages.get(messages.size() - 1);
        assertThat(last.offset()).as("offset of the last of %d records", messages.size())
                .isGreaterThanOrEqualTo(messages.size());
    }

    @Test
    @Order(2)
    void aRestartMidStreamNeitherLosesNorRepeatsAnEvent() throws Exception {
        // From here on every change comes through the stream, with its replay id.
        Eventually.until("the reader to stream", BOUND,
                () -> PluginMetricsJmx.of(CONNECTOR, "object", "Account").get("phase"), "streaming"::equals);
        BackgroundWrites writes = BackgroundWrites.every(20, n -> write(n));
        try {
            Eventually.until("changes to stream before the restart", BOUND, () -> writes.count() >= 50);
            CONNECT.cluster().restartConnectorAndTasks(CONNECTOR, false, true, false);
            int atRestart = writes.count();
            CONNECT.awaitRunning(CONNECTOR, 1);
            Eventually.until("changes to stream after the restart", BOUND, () -> writes.count() >= atRestart + 50);
        } finally {
            writes.close();
        }
        awaitTopicMatchesOrg("after " + writes.count() + " changes across a restart");

        ChangeTopic topic = ChangeTopic.read(CONNECT, TOPIC);
        List<Message> streamed = topic.messages().stream()
                .filter(m -> m.payload() != null && !m.payload().at("/source/replay_id").isNull()).toList();
        assertThat(streamed.size()).as("stream events").isGreaterThanOrEqualTo(writes.count());
        Map<String, Long> perEvent = streamed.stream().collect(Collectors.groupingBy(
                m -> m.payload().at("/source/replay_id").asText() + " " + m.keyPayload().get("Id").asText(),
                Collectors.counting()));
        assertThat(perEvent.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("stream events on the topic more than once").isEmpty();
        assertThat(streamed.stream().filter(m -> "d".equals(m.payload().get("op").asText())).count())
                .as("deletes").isEqualTo(topic.tombstones());
    }

    /** Creates, updates (some nulling a field) and deletes of Accounts. */
    private static void write(int n) {
        switch (n % 9) {
            case 4 -> accounts.add(org.create("Account", Map.of("Name", "Streamed " + n, "Industry", "Retail")));
            case 8 -> org.delete("Account", accounts.remove(accounts.size() - 1));
            default -> {
                Map<String, Object> change = new HashMap<>();
                change.put("NumberOfEmployees", n);
                change.put("Description", n % 3 == 0 ? null : "change " + n);
                org.update("Account", accounts.get(n % accounts.size()), change);
            }
        }
    }
}
