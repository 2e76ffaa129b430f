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
import java.util.Base64;
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
 * A base64 field ({@code Sync_Sample__c.Attachment__c}) named in {@code field.include.list}, end to end from the
 * plugin archive: one connector snapshots with REST queries and streams in update mode {@code partial}, the other
 * snapshots with a Bulk API job (which cannot select the blob: its URLs come from one SOQL query per batch) and
 * streams in mode {@code full}. Both topics must carry the emulator's bytes — binary ones that no text decoding
 * survives — and null for records without a blob, after the snapshot and after creates and updates of the blob.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceBlobFieldsIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension();

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String OBJECT = "Sync_Sample__c";
    private static final String REST = "blobs-rest";
    private static final String BULK = "blobs-bulk";
    private static final int SAMPLES = 5;
    private static final List<String> FIELDS = List.of("Id", "Name", "Text__c", "Attachment__c");

    private static SalesforceOrg org;
    private static List<String> samples;

    @BeforeAll
    static void seedAndDeploy() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            Map<String, Object> r = new HashMap<>();
            r.put("Name", "Sample " + i);
            r.put("Text__c", "text " + i);
            if (i != 1) {
                r.put("Attachment__c", base64(binary(i)));
            }
            rows.add(r);
        }
        samples = org.create(OBJECT, rows);
        Map<String, String> blobs = Map.of("field.include.list",
                "Sync_Sample__c.Name,Sync_Sample__c.Text__c,Sync_Sample__c.Attachment__c");
        CONNECT.deploy(org.sourceConnector(REST, "rest", OBJECT, 1, blobs));
        Map<String, String> bulk = new HashMap<>(blobs);
        bulk.put("snapshot.bulk.threshold", "1");
        bulk.put("reread.batch.size", "2");
        bulk.put("update.mode", "full");
        CONNECT.deploy(org.sourceConnector(BULK, "bulk", OBJECT, 1, bulk));
        CONNECT.awaitRunning(REST, 1);
        CONNECT.awaitRunning(BULK, 1);
    }

    @AfterAll
    static void close() {
        org.close();
    }

    /** Bytes that are not text: a PNG-like signature, a NUL, invalid UTF-8, and a byte that differs per record. */
    private static byte[] binary(int i) {
        return new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) i};
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static void awaitTopicMatchesOrg(String topic, String when) {
        Eventually.until(topic + " to match Salesforce " + when, BOUND,
                () -> ChangeTopic.read(CONNECT, topic).differencesFrom(org.records(OBJECT), FIELDS),
                List::isEmpty);
    }

    private static void awaitPhase(String connector, String phase) {
        Eventually.until(connector + " reading " + OBJECT + " to reach phase " + phase, BOUND,
                () -> PluginMetricsJmx.of(connector, "object", OBJECT).get("phase"), phase::equals);
    }

    /** The bytes a message's {@code after} holds for the blob (the JSON converter writes BYTES as base64). */
    private static byte[] blob(Message m) {
        JsonNode value = m.payload().at("/after/Attachment__c");
        return value.isNull() ? null : Base64.getDecoder().decode(value.asText());
    }

    private static Message last(ChangeTopic topic, String id) {
        List<Message> of = topic.messages().stream().filter(m -> m.keyPayload().get("Id").asText().equals(id))
                .toList();
        return of.get(of.size() - 1);
    }

    @Test
    @Order(1)
    void restAndBulkSnapshotsCarryTheBlobsBytes() {
        awaitTopicMatchesOrg("rest." + OBJECT, "after the REST snapshot");
        awaitTopicMatchesOrg("bulk." + OBJECT, "after the Bulk snapshot");

        assertThat(SALESFORCE.emulator().counters().get("bulk.query")).as("the Bulk snapshot ran a Bulk query")
                .isPositive();
        for (String prefix : List.of("rest", "bulk")) {
            ChangeTopic topic = ChangeTopic.read(CONNECT, prefix + "." + OBJECT);
            List<Message> reads = topic.withOp("r");
            assertThat(reads).as(prefix).hasSize(SAMPLES);
            Map<String, Message> byId = new HashMap<>();
            reads.forEach(m -> byId.put(m.keyPayload().get("Id").asText(), m));
            assertThat(blob(byId.get(samples.get(0)))).as(prefix).isEqualTo(binary(0));
            assertThat(blob(byId.get(samples.get(4)))).as(prefix).isEqualTo(binary(4));
            assertThat(blob(byId.get(samples.get(1)))).as("%s: a record without a blob", prefix).isNull();
            JsonNode after = ChangeTopic.schemaField(reads.get(0).value().get("schema"), "after");
            assertThat(ChangeTopic.schemaField(after, "Attachment__c").get("type").asText()).as(prefix)
                    .isEqualTo("bytes");
        }
        assertThat(number(REST, "blob-downloads")).as("one GET per non-null blob, and again for re-reads")
                .isGreaterThanOrEqualTo(SAMPLES - 1);
        assertThat(number(BULK, "blob-downloads")).isGreaterThanOrEqualTo(SAMPLES - 1);
    }

    @Test
    @Order(2)
    void createsAndUpdatesWhileStreamingCarryTheBlobsBytes() {
        awaitPhase(REST, "streaming");
        awaitPhase(BULK, "streaming");

        String created = org.create(OBJECT, Map.of("Name", "Streamed", "Attachment__c", base64(binary(100))));
        org.update(OBJECT, samples.get(1), Map.of("Attachment__c", base64(binary(101))));
        Map<String, Object> nulling = new LinkedHashMap<>();
        nulling.put("Attachment__c", null);
        org.update(OBJECT, samples.get(2), nulling);
        org.update(OBJECT, samples.get(3), Map.of("Text__c", "only the text changed"));
        awaitTopicMatchesOrg("rest." + OBJECT, "after a create and updates of the blob");
        awaitTopicMatchesOrg("bulk." + OBJECT, "after a create and updates of the blob");

        ChangeTopic partial = ChangeTopic.read(CONNECT, "rest." + OBJECT);
        assertThat(blob(last(partial, created))).isEqualTo(binary(100));
        Message set = last(partial, samples.get(1));
        assertThat(set.payload().at("/source/complete").asBoolean()).isFalse();
        assertThat(set.payload().at("/source/changed_fields").toString()).contains("Attachment__c");
        assertThat(blob(set)).isEqualTo(binary(101));
        assertThat(last(partial, samples.get(2)).payload().at("/source/nulled_fields").toString())
                .contains("Attachment__c");
        assertThat(partial.state().get(samples.get(3)).get("Attachment__c").asText())
                .as("a blob an update left alone stays as it was").isEqualTo(base64(binary(3)));

        ChangeTopic full = ChangeTopic.read(CONNECT, "bulk." + OBJECT);
        Message reread = last(full, samples.get(3));
        assertThat(reread.payload().at("/source/complete").asBoolean()).isTrue();
        assertThat(blob(reread)).as("a full re-read downloads the blob").isEqualTo(binary(3));
        assertThat(blob(last(full, samples.get(2)))).isNull();
        assertThat(blob(last(full, created))).isEqualTo(binary(100));
        assertThat(number(REST, "record-errors")).isZero();
        assertThat(number(BULK, "record-errors")).isZero();
    }

    private static long number(String connector, String metric) {
        return ((Number) PluginMetricsJmx.of(connector, "object", OBJECT).get(metric)).longValue();
    }
}
