package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.WriteContext;
import dev.lockstep.it.harness.ChangeTopic;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.ConnectClusterExtension.Message;
import dev.lockstep.it.harness.ConnectorControl;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.SalesforceOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source connector while Salesforce misbehaves, one fault per test as the emulator scripts it: gap and
 * overflow events for changes the stream never carried, an expired session, a storm of 5xx answers on REST and
 * Pub/Sub, and the daily API limit used up. The connector reads Account in {@code update.mode=full}, so every
 * streamed update also makes a REST call that the faults can hit. Each test checks the task stays RUNNING, and ends
 * by comparing the folded topic with the emulator's records.
 */
class SourceFaultsIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String CONNECTOR = "faults";
    private static final String TOPIC = "fa.Account";
    private static final List<String> FIELDS = List.of("Id", "Name", "Industry", "NumberOfEmployees", "Description");

    private static SalesforceOrg org;
    private static ConnectorControl control;
    private static List<String> accounts;

    @BeforeAll
    static void seedAndDeploy() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        control = new ConnectorControl(CONNECT);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(Map.of("Name", "Account " + i, "Industry", "Energy", "NumberOfEmployees", i));
        }
        accounts = org.create("Account", rows);
        Map<String, String> s = new HashMap<>();
        s.put("field.include.list", FIELDS.stream().map(f -> "Account." + f).collect(Collectors.joining(",")));
        s.put("update.mode", "full");
        // Few client retries, so that the reader's own retries (the retries metric) see the faults too.
        s.put("retry.max.attempts", "2");
        CONNECT.deploy(org.sourceConnector(CONNECTOR, "fa", "Account", 1, s));
        CONNECT.awaitRunning(CONNECTOR, 1);
        awaitTopicMatchesOrg("after the snapshot");
        ConnectorControl.awaitStreaming(CONNECTOR, "Account", BOUND);
    }

    @AfterEach
    void disarm() {
        emulator().faults().clear();
        emulator().limits().setDailyMax(EmulatorConfig.defaults().dailyApiLimit());
    }

    @AfterAll
    static void close() {
        org.close();
    }

    private static Emulator emulator() {
        return SALESFORCE.emulator();
    }

    private static void awaitTopicMatchesOrg(String when) {
        Eventually.until(TOPIC + " to match Salesforce " + when, BOUND,
                () -> ChangeTopic.read(CONNECT, TOPIC).differencesFrom(org.records("Account"), FIELDS), List::isEmpty);
    }

    private static void assertRunning() {
        assertThat(control.taskState(CONNECTOR, 0)).as(control.status(CONNECTOR).toString()).isEqualTo("RUNNING");
    }

    private static long retries() {
        return ConnectorControl.pluginMetric(CONNECTOR, "Account", "retries");
    }

    /** Writes straight into the org (no API call, so no fault or limit applies), with change events as usual. */
    private static void write(Consumer<Org.Txn> work) {
        emulator().org().write(new WriteContext(emulator().adminUserId(), "REST API", "it", "61.0"), txn -> {
            work.accept(txn);
            return null;
        });
    }

    /** Writes that publish no change event: what Salesforce then reports with a gap or overflow event. */
    private static void writeBehindTheStream(Consumer<Org.Txn> work) {
        emulator().org().removeListener(emulator().cdc());
        try {
            write(work);
        } finally {
            emulator().org().addListener(emulator().cdc());
        }
    }

    private static List<Message> withChangeType(ChangeTopic topic, String op, String changeType) {
        return topic.withOp(op).stream()
                .filter(m -> changeType.equals(m.payload().at("/source/change_type").asText())).toList();
    }

    @Test
    void gapEventsMakeTheNamedRecordsBeReadAgain() {
        List<String> ids = accounts.subList(0, 3);
        writeBehindTheStream(txn -> {
            for (int i = 0; i < ids.size(); i++) {
                txn.update(ids.get(i), Map.of("Industry", "Gap " + i, "Description", "changed behind the stream"));
            }
        });
        emulator().cdc().injectGap("Account", "GAP_UPDATE", ids);

        List<Message> rereads = Eventually.until("the gap's records read again", BOUND,
                () -> withChangeType(ChangeTopic.read(CONNECT, TOPIC), "u", "GAP_UPDATE"), m -> m.size() == 3);
        Map<String, Map<String, Object>> salesforce = org.records("Account");
        for (Message m : rereads) {
            JsonNode after = m.payload().get("after");
            String id = after.get("Id").asText();
            assertThat(ids).contains(id);
            assertThat(m.payload().at("/source/complete").asBoolean()).isTrue();
            assertThat(after.get("Industry").asText()).isEqualTo(salesforce.get(id).get("Industry"));
            assertThat(after.get("Description").asText()).isEqualTo("changed behind the stream");
        }
        assertThat(withChangeType(ChangeTopic.read(CONNECT, TOPIC), "u", "UPDATE"))
                .as("no change event carried these changes").extracting(m -> m.keyPayload().get("Id").asText())
                .doesNotContainAnyElementsOf(ids);
        awaitTopicMatchesOrg("after the gap");
        assertRunning();
    }

    @Test
    void anOverflowEventResyncsModifiedAndDeletedRecords() {
        writeBehindTheStream(txn -> {
            txn.update(accounts.get(3), Map.of("NumberOfEmployees", 1003));
            txn.update(accounts.get(4), Map.of("NumberOfEmployees", 1004, "Industry", "Retail"));
            txn.delete(accounts.get(5));
        });
        emulator().cdc().injectOverflow("Account");

        awaitTopicMatchesOrg("after the overflow");
        ChangeTopic topic = ChangeTopic.read(CONNECT, TOPIC);
        assertThat(withChangeType(topic, "u", "GAP_OVERFLOW")).extracting(m -> m.keyPayload().get("Id").asText())
                .contains(accounts.get(3), accounts.get(4));
        assertThat(withChangeType(topic, "d", "GAP_OVERFLOW")).as("the delete found by the re-sync")
                .extracting(m -> m.keyPayload().get("Id").asText()).contains(accounts.get(5));
        assertThat(ConnectorControl.pluginMetric(CONNECTOR, "Account", "resyncs")).isPositive();
        assertRunning();
    }

    @Test
    void anExpiredSessionIsRenewedWithoutLosingChanges() {
        long logins = emulator().counters().get("oauth");
        assertThat(emulator().sessions().expireAll()).isPositive();

        // Through the REST API: the test's own client logs in again too.
        org.update("Account", accounts.get(6), Map.of("Industry", "After expiry"));
        String created = org.create("Account", Map.of("Name", "Created after expiry", "NumberOfEmployees", 7));
        org.delete("Account", accounts.get(7));

        awaitTopicMatchesOrg("after the session expired");
        assertThat(ChangeTopic.read(CONNECT, TOPIC).state()).containsKey(created);
        assertThat(emulator().counters().get("oauth") - logins)
                .as("logins after the expiry: the test's client and the connector's").isGreaterThanOrEqualTo(2);
        assertRunning();
    }

    @Test
    void aStormOf5xxAnswersIsRetriedUntilItPasses() {
        long retriesBefore = retries();
        emulator().faults().failWithStatus("rest", 8, 503);
        emulator().faults().failWithStatus("pubsub.subscribe", 4, 503);
        assertThat(emulator().streams().drop("pubsub")).as("open Pub/Sub streams dropped").isPositive();
        write(txn -> {
            txn.update(accounts.get(8), Map.of("Industry", "During the storm"));
            txn.update(accounts.get(9), Map.of("NumberOfEmployees", 909));
        });

        Eventually.until("every fault to be used up", BOUND, () -> emulator().faults().pending().isEmpty());
        assertRunning();
        awaitTopicMatchesOrg("after the storm");
        assertThat(retries()).as("retries metric").isGreaterThan(retriesBefore);
        assertRunning();
    }

    @Test
    void theDailyApiLimitUsedUpHoldsTheSyncUntilItIsRaised() {
        long retriesBefore = retries();
        emulator().limits().setDailyMax(emulator().limits().used());
        write(txn -> txn.update(accounts.get(10), Map.of("Industry", "While limited")));

        // full mode must read the record again, which the limit refuses: the update waits, it is not skipped.
        Eventually.until("the connector to back off on REQUEST_LIMIT_EXCEEDED", BOUND,
                () -> retries() > retriesBefore);
        assertRunning();
        assertThat(ChangeTopic.read(CONNECT, TOPIC).differencesFrom(org.records("Account"), FIELDS))
                .as("the update is held, not sent incomplete").isNotEmpty();

        emulator().limits().setDailyMax(EmulatorConfig.defaults().dailyApiLimit());
        awaitTopicMatchesOrg("after the limit was raised");
        assertRunning();
    }
}
