package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.ChangeTopic;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.ConnectClusterExtension.Message;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.PluginMetricsJmx;
import dev.lockstep.it.harness.SalesforceOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source connector over the Streaming API (CometD), in update mode {@code full} and {@code partial}, with
 * {@code Sync_Sample__c} (one field of every Salesforce type, a formula among them) and Account: the snapshot, then
 * creates, updates and deletes, compared field by field with the emulator's records. Full mode re-reads changed
 * records in batched SOQL queries (counted by the emulator) and so keeps formula fields and SystemModstamp current;
 * partial mode passes events on as they are, and a field set to null must still be nulled downstream, though CometD
 * events carry no {@code nulledFields}. The plugin metrics are read over JMX as an operator would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceCometdFullModeIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static final Logger LOG = LoggerFactory.getLogger(SourceCometdFullModeIT.class);
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String FULL = "sf-full";
    private static final String PARTIAL = "sf-partial";
    private static final int ACCOUNTS = 200;
    private static final int SAMPLES = 12;

    private static final List<String> ACCOUNT_FIELDS = List.of("Id", "Name", "Industry", "AnnualRevenue",
            "NumberOfEmployees", "BillingCity", "Description", "LastModifiedDate", "SystemModstamp");
    /** Every synced field of Sync_Sample__c (its blob is not synced; compounds arrive as their components). */
    private static final List<String> SAMPLE_FIELDS = List.of("Id", "OwnerId", "Name", "CreatedDate", "CreatedById",
            "LastModifiedDate", "LastModifiedById", "SystemModstamp", "Text__c", "Text_Area__c", "Long_Text__c",
            "Status__c", "Colors__c", "Flag__c", "Quantity__c", "Ratio__c", "Amount__c", "Discount__c",
            "Due_Date__c", "Due_At__c", "Alarm_Time__c", "Email__c", "Phone__c", "Website__c", "Account__c",
            "Secret__c", "Address__Street__s", "Address__City__s", "Address__StateCode__s", "Address__PostalCode__s",
            "Address__CountryCode__s", "Location__Latitude__s", "Location__Longitude__s", "Total__c",
            "External_Id__c", "Code__c", "Legacy_Id__c");
    /** What partial mode can keep current: events carry neither formula fields nor SystemModstamp. */
    private static final List<String> SAMPLE_EVENT_FIELDS = SAMPLE_FIELDS.stream()
            .filter(f -> !f.equals("Total__c") && !f.equals("SystemModstamp")).toList();

    private static SalesforceOrg org;
    private static List<String> accounts;
    private static List<String> samples;

    @BeforeAll
    static void seedAndDeploy() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            rows.add(Map.of("Name", "Account " + i, "Industry", i % 2 == 0 ? "Energy" : "Banking",
                    "AnnualRevenue", 1000.25 + i, "NumberOfEmployees", i, "BillingCity", "Lyon"));
        }
        accounts = org.create("Account", rows);
        List<Map<String, Object>> sampleRows = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            sampleRows.add(sample(i));
        }
        samples = org.create("Sync_Sample__c", sampleRows);
        CONNECT.deploy(org.sourceConnector(FULL, "full", "Account,Sync_Sample__c", 1, Map.of(
                "streaming.transport", "cometd", "update.mode", "full")));
        CONNECT.awaitRunning(FULL, 1);
    }

    /** A Sync_Sample__c with every field set. */
    private static Map<String, Object> sample(int i) {
        Map<String, Object> r = new HashMap<>();
        r.put("Name", "Sample " + i);
        r.put("Text__c", "text " + i + " Zoë 李");
        r.put("Text_Area__c", "line one\nline two " + i);
        r.put("Long_Text__c", "long ".repeat(400) + i);
        r.put("Status__c", i % 2 == 0 ? "New" : "Active");
        r.put("Colors__c", i % 2 == 0 ? "Red;Blue" : "Green");
        r.put("Flag__c", i % 3 == 0);
        r.put("Quantity__c", 3 + i);
        r.put("Ratio__c", 0.125 + i);
        r.put("Amount__c", 19.99 + i);
        r.put("Discount__c", 12.5);
        r.put("Due_Date__c", "2024-09-0" + (1 + i % 9));
        r.put("Due_At__c", "2024-09-03T06:59:38.000Z");
        r.put("Alarm_Time__c", "06:59:38.000Z");
        r.put("Email__c", "s" + i + "@example.com");
        r.put("Phone__c", "+33 4 72 00 00 " + (10 + i));
        r.put("Website__c", "https://example.com/" + i);
        r.put("Account__c", accounts.get(i % ACCOUNTS));
        r.put("Secret__c", "secret-" + i);
        r.put("Address__Street__s", i + " rue de la République");
        r.put("Address__City__s", "Lyon");
        r.put("Address__StateCode__s", "ARA");
        r.put("Address__PostalCode__s", "69002");
        r.put("Address__CountryCode__s", "FR");
        r.put("Location__Latitude__s", 45.764043);
        r.put("Location__Longitude__s", 4.835659);
        r.put("External_Id__c", "EXT-" + i);
        r.put("Code__c", "C" + i);
        r.put("Legacy_Id__c", "L" + i);
        return r;
    }

    @AfterAll
    static void close() {
        org.close();
    }

    private static void awaitTopicMatchesOrg(String topic, String object, List<String> fields, String when) {
        Eventually.until(topic + " to match Salesforce " + when, BOUND,
                () -> ChangeTopic.read(CONNECT, topic).differencesFrom(org.records(object), fields),
                List::isEmpty);
    }

    private static void awaitPhase(String connector, String object, String phase) {
        Eventually.until(connector + " reading " + object + " to reach phase " + phase, BOUND,
                () -> PluginMetricsJmx.of(connector, "object", object).get("phase"), phase::equals);
    }

    @Test
    @Order(1)
    void snapshotCopiesEveryFieldOfEveryType() {
        awaitTopicMatchesOrg("full.Account", "Account", ACCOUNT_FIELDS, "after the snapshot");
        awaitTopicMatchesOrg("full.Sync_Sample__c", "Sync_Sample__c", SAMPLE_FIELDS, "after the snapshot");
        ChangeTopic topic = ChangeTopic.read(CONNECT, "full.Sync_Sample__c");
        assertThat(topic.withOp("r")).hasSize(SAMPLES);
        // The comparison means something only if the values are there: the formula among them.
        Map<String, JsonNode> first = topic.state().get(samples.get(1));
        assertThat(first.get("Total__c").decimalValue()).isEqualByComparingTo("83.96");
        assertThat(first.get("Long_Text__c").asText()).hasSize(2001);
        assertThat(first.get("Location__Latitude__s").isNull()).isFalse();
    }

    @Test
    @Order(2)
    void fullModeRereadsAnUpdatedBatchWithOneQueryPer200Records() {
        awaitPhase(FULL, "Account", "streaming");
        awaitPhase(FULL, "Sync_Sample__c", "streaming");
        long queriesBefore = SALESFORCE.emulator().counters().get("rest.query");

        Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            changes.put(accounts.get(i), Map.of("Industry", "Retail", "Description", "batch " + i));
        }
        org.updateAll("Account", changes);
        awaitTopicMatchesOrg("full.Account", "Account", ACCOUNT_FIELDS, "after 200 updates in one call");

        long queries = SALESFORCE.emulator().counters().get("rest.query") - queriesBefore;
        int batches = (ACCOUNTS + 199) / 200;
        LOG.info("Full mode re-read {} records updated in one call with {} SOQL calls", ACCOUNTS, queries);
        assertThat(queries).as("SOQL calls to re-read %d updated records", ACCOUNTS)
                .isBetween(1L, (long) batches + 2);
        List<Message> updates = ChangeTopic.read(CONNECT, "full.Account").withOp("u").stream()
                .filter(m -> "UPDATE".equals(m.payload().at("/source/change_type").asText())).toList();
        assertThat(updates.stream().map(m -> m.keyPayload().get("Id").asText()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(accounts);
        assertThat(updates).allSatisfy(m -> {
            assertThat(m.payload().at("/source/complete").asBoolean()).isTrue();
            assertThat(m.payload().at("/source/replay_id").asText()).isNotEmpty();
            assertThat(m.payload().at("/after/Name").asText()).startsWith("Account ");
        });
    }

    @Test
    @Order(3)
    void fullModeKeepsFormulaFieldsCurrentThroughCreatesUpdatesAndDeletes() {
        List<String> created = org.create("Sync_Sample__c", List.of(sample(100), sample(101)));
        org.update("Sync_Sample__c", samples.get(2), Map.of("Amount__c", 1000, "Quantity__c", 7));
        org.update("Sync_Sample__c", samples.get(3), Map.of("Colors__c", "Yellow;Red", "Flag__c", true,
                "Due_At__c", "2025-01-31T23:59:59.000Z", "Address__City__s", "Paris"));
        Map<String, Object> nulling = new LinkedHashMap<>();
        nulling.put("Text__c", null);
        nulling.put("Amount__c", null);
        nulling.put("Location__Latitude__s", null);
        org.update("Sync_Sample__c", samples.get(4), nulling);
        org.delete("Sync_Sample__c", samples.get(5));
        awaitTopicMatchesOrg("full.Sync_Sample__c", "Sync_Sample__c", SAMPLE_FIELDS,
                "after creates, updates and a delete");

        ChangeTopic topic = ChangeTopic.read(CONNECT, "full.Sync_Sample__c");
        assertThat(topic.state().get(samples.get(2)).get("Total__c").decimalValue()).isEqualByComparingTo("7000");
        assertThat(topic.state().get(samples.get(4)).get("Total__c").isNull()).isTrue();
        List<Message> creates = topic.withOp("c");
        assertThat(creates).extracting(m -> m.keyPayload().get("Id").asText())
                .containsExactlyInAnyOrderElementsOf(created);
        assertThat(creates).allSatisfy(m -> {
            assertThat(m.payload().at("/source/complete").asBoolean()).isTrue();
            assertThat(m.payload().at("/after/Total__c").isNull()).as("formula of a created record").isFalse();
        });
        List<Message> updates = topic.withOp("u").stream()
                .filter(m -> "UPDATE".equals(m.payload().at("/source/change_type").asText())).toList();
        assertThat(updates).hasSizeGreaterThanOrEqualTo(3).allSatisfy(
                m -> assertThat(m.payload().at("/source/complete").asBoolean()).isTrue());
        assertThat(topic.withOp("d")).extracting(m -> m.keyPayload().get("Id").asText())
                .containsExactly(samples.get(5));
        assertThat(SALESFORCE.emulator().cdc().deliveredCounts())
                .containsKey("cometd /data/Sync_Sample__ChangeEvent")
                .doesNotContainKey("pubsub /data/Sync_Sample__ChangeEvent");
    }

    @Test
    @Order(4)
    void pluginMetricsShowTheSnapshotTheChangesAndTheStreamPosition() {
        Map<String, Object> account = PluginMetricsJmx.of(FULL, "object", "Account");
        assertThat(account.get("objectName").toString()).contains("connector=" + FULL).contains("task=0");
        assertThat(number(account, "records-read")).isEqualTo(ACCOUNTS);
        assertThat(number(account, "snapshot-total")).isEqualTo(ACCOUNTS);
        assertThat(number(account, "snapshot-done")).isEqualTo(ACCOUNTS);
        assertThat(number(account, "records-updated")).isGreaterThanOrEqualTo(ACCOUNTS);
        assertThat(number(account, "lag-ms")).isGreaterThanOrEqualTo(0);
        assertThat(number(account, "api-calls")).isGreaterThan(0);
        assertThat(number(account, "record-errors")).isZero();
        assertThat((String) account.get("last-replay-id")).isNotEmpty();
        assertThat(account.get("phase")).isEqualTo("streaming");

        Map<String, Object> sample = PluginMetricsJmx.of(FULL, "object", "Sync_Sample__c");
        assertThat(number(sample, "records-read")).isEqualTo(SAMPLES);
        assertThat(number(sample, "snapshot-done")).isEqualTo(SAMPLES);
        assertThat(number(sample, "records-created")).isEqualTo(2);
        assertThat(number(sample, "records-updated")).isGreaterThanOrEqualTo(3);
        assertThat(number(sample, "records-deleted")).isEqualTo(1);
        assertThat((String) sample.get("last-replay-id")).isNotEmpty();
    }

    private static long number(Map<String, Object> metrics, String name) {
        Object value = metrics.get(name);
        assertThat(value).as("metric %s in %s", name, metrics).isInstanceOf(Number.class);
        return ((Number) value).longValue();
    }

    @Test
    @Order(5)
    void partialModeOverCometdNullsFieldsSetToNull() throws Exception {
        CONNECT.deploy(org.sourceConnector(PARTIAL, "partial", "Sync_Sample__c", 1, Map.of(
                "streaming.transport", "cometd", "update.mode", "partial")));
        CONNECT.awaitRunning(PARTIAL, 1);
        awaitTopicMatchesOrg("partial.Sync_Sample__c", "Sync_Sample__c", SAMPLE_FIELDS, "after the snapshot");
        awaitPhase(PARTIAL, "Sync_Sample__c", "streaming");

        Map<String, Object> nulling = new LinkedHashMap<>();
        nulling.put("Text__c", null);
        nulling.put("Quantity__c", null);
        nulling.put("Address__City__s", null);
        nulling.put("Due_Date__c", null);
        nulling.put("Status__c", "Closed");
        String nulled = samples.get(6);
        org.update("Sync_Sample__c", nulled, nulling);
        Map<String, Object> other = new LinkedHashMap<>();
        other.put("Colors__c", null);
        other.put("Flag__c", true);
        org.update("Sync_Sample__c", samples.get(7), other);
        String created = org.create("Sync_Sample__c", sample(200));
        awaitTopicMatchesOrg("partial.Sync_Sample__c", "Sync_Sample__c", SAMPLE_EVENT_FIELDS,
                "after updates that null fields");

        ChangeTopic topic = ChangeTopic.read(CONNECT, "partial.Sync_Sample__c");
        Message update = topic.withOp("u").stream()
                .filter(m -> m.keyPayload().get("Id").asText().equals(nulled))
                .filter(m -> "UPDATE".equals(m.payload().at("/source/change_type").asText()))
                .reduce((a, b) -> b).orElseThrow();
        JsonNode source = update.payload().get("source");
        assertThat(source.get("complete").asBoolean()).isFalse();
        Set<String> listed = new java.util.HashSet<>();
        source.get("changed_fields").forEach(n -> listed.add(n.asText()));
        if (source.get("nulled_fields").isArray()) {
            source.get("nulled_fields").forEach(n -> listed.add(n.asText()));
        }
        assertThat(listed).contains("Text__c", "Quantity__c", "Address__City__s", "Due_Date__c", "Status__c");
        JsonNode after = update.payload().get("after");
        assertThat(after.get("Text__c").isNull()).isTrue();
        assertThat(after.get("Status__c").asText()).isEqualTo("Closed");
        assertThat(after.get("Name").isNull()).as("unchanged fields are not sent").isTrue();
        assertThat(topic.state().get(nulled).get("Text__c").isNull()).isTrue();
        assertThat(topic.state().get(nulled).get("Name").asText()).isEqualTo("Sample 6");
        assertThat(topic.state().get(created).get("Text__c").asText()).isEqualTo("text 200 Zoë 李");
    }
}
