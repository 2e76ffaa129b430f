package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.ChangeTopic;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.ConnectClusterExtension.Message;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.SalesforceOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source connector end to end in its default setup (Pub/Sub, partial updates), loaded from the plugin archive
 * into a real Connect cluster against the emulator: a snapshot in dependency order, then creates, updates, nulling
 * updates, deletes with tombstones, and a field added in Salesforce while streaming. Each step compares what a
 * consumer folds from the topic with the emulator's records.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceSnapshotAndStreamIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final List<String> ACCOUNT_FIELDS = List.of("Id", "Name", "Industry", "AnnualRevenue",
            "NumberOfEmployees", "BillingCity", "Description");
    private static final List<String> CONTACT_FIELDS = List.of("Id", "LastName", "FirstName", "AccountId", "Email");

    private static SalesforceOrg org;
    private static List<String> accounts;

    @BeforeAll
    static void seedAndDeploy() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Map<String, Object> a = new HashMap<>();
            a.put("Name", "Account " + i + (i % 5 == 0 ? " Zoë 李" : ""));
            a.put("Industry", i % 2 == 0 ? "Energy" : "Banking");
            a.put("AnnualRevenue", 1000.5 + i);
            a.put("NumberOfEmployees", i);
            a.put("BillingCity", "Lyon");
            rows.add(a);
        }
        accounts = org.create("Account", rows);
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            contacts.add(Map.of("LastName", "Contact " + i, "FirstName", "F" + i, "AccountId",
                    accounts.get(i % accounts.size()), "Email", "c" + i + "@example.com"));
        }
        org.create("Contact", contacts);
        // Contact first on purpose: the task must still snapshot Account (the parent) before it.
        CONNECT.deploy(org.sourceConnector("sf-source", "sf", "Contact,Account", 1, Map.of()));
        CONNECT.awaitRunning("sf-source", 1);
    }

    @AfterAll
    static void close() {
        org.close();
    }

    private static void awaitTopicMatchesOrg(String object, List<String> fields, String when) {
        Eventually.until(object + " topic to match Salesforce " + when, BOUND,
                () -> ChangeTopic.read(CONNECT, "sf." + object).differencesFrom(org.records(object), fields),
                List::isEmpty);
    }

    @Test
    @Order(1)
    void snapshotCopiesEveryRecordParentsFirst() {
        awaitTopicMatchesOrg("Account", ACCOUNT_FIELDS, "after the snapshot");
        awaitTopicMatchesOrg("Contact", CONTACT_FIELDS, "after the snapshot");

        ChangeTopic account = ChangeTopic.read(CONNECT, "sf.Account");
        ChangeTopic contact = ChangeTopic.read(CONNECT, "sf.Contact");
        assertThat(account.withOp("r")).hasSize(25);
        assertThat(contact.withOp("r")).hasSize(40);
        List<Message> reads = account.withOp("r");
        assertThat(reads.get(reads.size() - 1).payload().at("/source/snapshot").asText()).isEqualTo("last");
        assertThat(reads.get(0).payload().at("/source/snapshot").asText()).isEqualTo("true");
        JsonNode source = reads.get(0).payload().get("source");
        assertThat(source.get("connector").asText()).isEqualTo("salesforce");
        assertThat(source.get("org_id").asText()).isEqualTo(SALESFORCE.emulator().org().orgId());
        assertThat(source.get("complete").asBoolean()).isTrue();
        // Schema parameters keep Salesforce's types.
        JsonNode afterSchema = ChangeTopic.schemaField(reads.get(0).value().get("schema"), "after");
        assertThat(ChangeTopic.schemaField(afterSchema, "AnnualRevenue").at("/parameters/salesforce.type").asText())
                .isEqualTo("currency");
        assertThat(ChangeTopic.schemaField(afterSchema, "AnnualRevenue").get("name").asText())
                .isEqualTo("org.apache.kafka.connect.data.Decimal");

        long lastAccountRead = account.withOp("r").stream().mapToLong(m -> m.payload().get("ts_ms").asLong()).max()
                .orElseThrow();
        long firstContactRead = contact.withOp("r").stream().mapToLong(m -> m.payload().get("ts_ms").asLong())
                .min().orElseThrow();
        assertThat(firstContactRead).as("Contacts are read after every Account").isGreaterThanOrEqualTo(
                lastAccountRead);
    }

    @Test
    @Order(2)
    void streamsCreatesUpdatesAndDeletes() {
        String created = org.create("Account", Map.of("Name", "Streamed", "Industry", "Energy",
                "Description", "first"));
        org.update("Account", accounts.get(1), Map.of("Industry", "Retail"));
        Map<String, Object> nulling = new LinkedHashMap<>();
        nulling.put("BillingCity", null);
        org.update("Account", accounts.get(2), nulling);
        org.delete("Account", accounts.get(3));
        awaitTopicMatchesOrg("Account", ACCOUNT_FIELDS, "after a create, updates and a delete");

        ChangeTopic topic = ChangeTopic.read(CONNECT, "sf.Account");
        Message create = topic.withOp("c").stream()
                .filter(m -> m.keyPayload().get("Id").asText().equals(created)).findFirst().orElseThrow();
        assertThat(create.payload().at("/source/change_type").asText()).isEqualTo("CREATE");
        assertThat(create.payload().at("/source/replay_id").asText()).isNotEmpty();

        Message update = topic.withOp("u").stream()
                .filter(m -> m.keyPayload().get("Id").asText().equals(accounts.get(1)))
                .filter(m -> "UPDATE".equals(m.payload().at("/source/change_type").asText())).findFirst()
                .orElseThrow();
        assertThat(update.payload().at("/source/complete").asBoolean()).isFalse();
        assertThat(update.payload().at("/source/changed_fields").toString()).contains("Industry");
        assertThat(update.payload().at("/after/Name").isNull()).as("unchanged fields are not sent").isTrue();

        assertThat(topic.withOp("d")).extracting(m -> m.keyPayload().get("Id").asText())
                .containsExactly(accounts.get(3));
        assertThat(topic.tombstones()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void fieldAddedInSalesforceFlowsWithANewSchemaVersion() throws Exception {
        SALESFORCE.emulator().org().addField("Account", new ObjectMapper().readTree("""
                {"name": "Tier__c", "type": "picklist", "label": "Tier", "length": 40, "nillable": true,
                 "createable": true, "updateable": true, "custom": true}"""));
        org.update("Account", accounts.get(4), Map.of("Tier__c", "Gold"));

        Eventually.until("the new field to reach the topic", BOUND,
                () -> ChangeTopic.read(CONNECT, "sf.Account").state().get(accounts.get(4)),
                row -> row != null && row.get("Tier__c") != null && "Gold".equals(row.get("Tier__c").asText()));
        List<Message> messages = ChangeTopic.read(CONNECT, "sf.Account").messages();
        Message last = messages.get(messages.size() - 1);
        JsonNode afterSchema = ChangeTopic.schemaField(last.value().get("schema"), "after");
        assertThat(ChangeTopic.schemaField(afterSchema, "Tier__c")).isNotNull();
        assertThat(afterSchema.get("version").asInt()).isGreaterThan(1);
        // Named as changed too, so the Postgres path's narrowing keeps it.
        assertThat(last.payload().at("/source/changed_fields").toString()).contains("\"Tier__c\"");
    }
}
