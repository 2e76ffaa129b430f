package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.PostgresExtension;
import dev.lockstep.it.harness.PostgresMirror;
import dev.lockstep.it.harness.PostgresSync;
import dev.lockstep.it.harness.SalesforceOrg;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lockstep's own mapping options end to end: a Lead mapping into {@code crm.leads} with a renamed column, update mode
 * full and hard deletes; the custom object in update mode full (formula fields refreshed); Case with
 * {@code all_fields} in update mode partial, gaining a field in Salesforce while running; and a value Postgres cannot
 * hold, which goes to the dead-letter topic with a message naming record, field and value while the sync goes on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresSyncIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String MAPPINGS = """
            {"version": 1, "mappings": [
              {"object_name": "Lead", "config": {"access": "read_only",
                "fields": {"Id": {}, "IsDeleted": {}, "SystemModstamp": {}, "Name": {}, "FirstName": {},
                           "LastName": {}, "Company": {}, "Email": {}, "Status": {}},
                "schema": "crm", "table_name": "leads", "column_names": {"Company": "company_name"},
                "update_mode": "full", "delete_mode": "hard"}},
              {"object_name": "Sync_Sample__c", "config": {"access": "read_only",
                "fields": {"Id": {}, "Name": {}, "Amount__c": {}, "Quantity__c": {}, "Total__c": {}, "Text__c": {}},
                "update_mode": "full"}},
              {"object_name": "Case", "config": {"access": "read_only", "fields": {"Id": {}}, "all_fields": true}}
            ]}""";

    private static SalesforceOrg org;
    private static PostgresSync sync;
    private static PostgresMirror mirror;
    private static final List<String> leads = new ArrayList<>();
    private static final List<String> samples = new ArrayList<>();
    private static final List<String> cases = new ArrayList<>();

    @BeforeAll
    static void seedAndDeploy() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        mirror = new PostgresMirror(POSTGRES);
        for (int i = 0; i < 20; i++) {
            leads.add(org.create("Lead", Map.of("FirstName", "First" + i, "LastName", "Lead " + i, "Company",
                    "Company " + i + " GmbH", "Email", "lead" + i + "@example.com")));
            samples.add(org.create("Sync_Sample__c", Map.of("Name", "Sample " + i, "Amount__c",
                    new BigDecimal("10.25").add(BigDecimal.valueOf(i)), "Quantity__c", 2, "Text__c", "t" + i)));
            cases.add(org.create("Case", Map.of("Subject", "Case " + i, "Status", "New", "Origin", "Web")));
        }
        sync = PostgresSync.deploy("modes", MAPPINGS, org, POSTGRES, CONNECT, Map.of());
    }

    @AfterAll
    static void close() {
        if (org != null) {
            org.close();
        }
    }

    private static void awaitMatches(String object, String when) {
        Mapping mapping = sync.mapping(object);
        Eventually.until(mapping.qualifiedTable() + " to match Salesforce " + when, BOUND,
                () -> mirror.differencesFrom(mapping, org.records(object), mapping.fields()), List::isEmpty);
    }

    @Test
    @Order(1)
    void tableAndColumnNamesFollowTheMapping() throws Exception {
        awaitMatches("Lead", "after the snapshot");
        awaitMatches("Sync_Sample__c", "after the snapshot");
        awaitMatches("Case", "after the snapshot");

        assertThat(mirror.columns("crm", "leads")).containsKey("company_name").doesNotContainKey("company");
        assertThat(POSTGRES.query("SELECT company_name FROM crm.leads WHERE sfid = '" + leads.get(3) + "'")
                .get(0).get("company_name")).isEqualTo("Company 3 GmbH");
    }

    @Test
    @Order(2)
    void fullModeRefreshesFormulaFieldsAndDerivedNames() throws Exception {
        org.update("Sync_Sample__c", samples.get(0), Map.of("Quantity__c", 7));
        org.update("Lead", leads.get(0), Map.of("LastName", "Renamed"));
        awaitMatches("Sync_Sample__c", "after an update a formula depends on");
        awaitMatches("Lead", "after a last-name update");

        Map<String, Object> sample = mirror.rows(sync.mapping("Sync_Sample__c")).get(samples.get(0));
        assertThat(sample.get("total__c")).as("Total__c = Amount__c * Quantity__c, re-read").isEqualTo(10.25 * 7);
        Map<String, Object> lead = mirror.rows(sync.mapping("Lead")).get(leads.get(0));
        assertThat(lead.get("name")).isEqualTo("First0 Renamed");
        assertThat(lead.get("email")).isEqualTo("lead0@example.com");
    }

    @Test
    @Order(3)
    void hardDeletesRemoveRowsAndAnUndeleteBringsThemBack() throws Exception {
        org.delete("Lead", leads.get(1));
        org.delete("Lead", leads.get(2));
        awaitMatches("Lead", "after deletes");
        assertThat(mirror.rows(sync.mapping("Lead"))).doesNotContainKeys(leads.get(1), leads.get(2));
        assertThat(mirror.liveRows(sync.mapping("Lead"))).isEqualTo(18);

        org.undelete(leads.get(2));
        awaitMatches("Lead", "after an undelete");
        assertThat(mirror.rows(sync.mapping("Lead")).get(leads.get(2)).get("company_name"))
                .isEqualTo("Company 2 GmbH");
    }

    @Test
    @Order(4)
    void aFieldAddedInSalesforceBecomesAColumnOfItsHerokuConnectType() throws Exception {
        SALESFORCE.emulator().org().addField("Case", new ObjectMapper().readTree("""
                {"name": "Tier__c", "type": "picklist", "label": "Tier", "length": 40, "nillable": true,
                 "createable": true, "updateable": true, "custom": true}"""));
        org.update("Case", cases.get(0), Map.of("Tier__c", "Gold"));
        String created = org.create("Case", Map.of("Subject", "After the new field", "Status", "New",
                "Tier__c", "Silver"));

        Eventually.until("the new column to hold the new values", BOUND,
                () -> POSTGRES.query("SELECT sfid, tier__c FROM salesforce.case WHERE tier__c IS NOT NULL"),
                rows -> rows.size() == 2);
        assertThat(mirror.columns("salesforce", "case")).containsEntry("tier__c", "character varying(255)");
        Map<String, Map<String, Object>> rows = mirror.rows(sync.mapping("Case"));
        assertThat(rows.get(cases.get(0)).get("tier__c")).isEqualTo("Gold");
        assertThat(rows.get(created).get("tier__c")).isEqualTo("Silver");
        assertThat(rows.get(cases.get(0)).get("subject")).as("columns the update did not touch").isEqualTo("Case 0");
    }

    @Test
    @Order(5)
    void aValuePostgresCannotHoldGoesToTheDeadLetterTopicAndTheSyncGoesOn() throws Exception {
        String bad = samples.get(5);
        org.update("Sync_Sample__c", bad, Map.of("Text__c", "before\u0000after"));
        org.update("Sync_Sample__c", samples.get(6), Map.of("Text__c", "fine after the bad one"));

        Eventually.until("the next change to arrive", BOUND,
                () -> mirror.rows(sync.mapping("Sync_Sample__c")).get(samples.get(6)).get("text__c"),
                "fine after the bad one"::equals);
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        CONNECT.cluster().kafka().consume(1, BOUND.toMillis(), sync.deadLetterTopic()).forEach(dead::add);
        Map<String, String> headers = new HashMap<>();
        for (Header h : dead.get(0).headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        assertThat(headers.get("__connect.errors.topic")).isEqualTo("modes.Sync_Sample__c");
        assertThat(headers.get("__connect.errors.exception.message")).contains(bad).contains("text__c")
                .contains("before");
        assertThat(mirror.rows(sync.mapping("Sync_Sample__c")).get(bad).get("text__c"))
                .as("the row keeps its last good value; the change waits in the dead-letter topic").isEqualTo("t5");
        CONNECT.awaitRunning(sync.connectors().get(1), 1);
    }
}
