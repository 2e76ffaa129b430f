package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.ChangeTopic;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.ConnectClusterExtension.Message;
import dev.lockstep.it.harness.ConnectorControl;
import dev.lockstep.it.harness.ConnectorControl.Reply;
import dev.lockstep.it.harness.Eventually;
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
 * The source connector's stored positions as an operator handles them: rewinding an object through the offsets
 * REST API, offsets the connector refuses, a reset that takes a new snapshot, and a stored replay position that
 * Salesforce no longer keeps, under each {@code replay.expired.policy}. The expiry test shortens the emulator's
 * event retention, so it runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceOffsetsIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CAMPAIGN_FIELDS = List.of("Id", "Name", "Description");
    private static final List<String> PRODUCT_FIELDS = List.of("Id", "Name", "ProductCode", "Description");

    private static SalesforceOrg org;
    private static ConnectorControl control;
    private static List<String> campaigns;

    @BeforeAll
    static void seedAndDeploy() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        control = new ConnectorControl(CONNECT);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(Map.of("Name", "Campaign " + i, "Description", "initial"));
        }
        campaigns = org.create("Campaign", rows);
        CONNECT.deploy(org.sourceConnector("offsets", "of", "Campaign", 1, fields("Campaign", CAMPAIGN_FIELDS)));
        CONNECT.awaitRunning("offsets", 1);
        awaitTopicMatchesOrg("of.Campaign", "Campaign", CAMPAIGN_FIELDS, "after the snapshot");
        ConnectorControl.awaitStreaming("offsets", "Campaign", BOUND);
    }

    @AfterAll
    static void close() {
        SALESFORCE.emulator().cdc().setRetention(Duration.ofHours(72));
        org.close();
    }

    private static Map<String, String> fields(String object, List<String> fields) {
        Map<String, String> s = new HashMap<>();
        s.put("field.include.list", fields.stream().map(f -> object + "." + f).collect(Collectors.joining(",")));
        return s;
    }

    private static void awaitTopicMatchesOrg(String topic, String object, List<String> fields, String when) {
        Eventually.until(topic + " to match Salesforce " + when, BOUND,
                () -> ChangeTopic.read(CONNECT, topic).differencesFrom(org.records(object), fields), List::isEmpty);
    }

    /** Replay id → how many records on the topic carry it. */
    private static Map<String, Long> perReplayId(ChangeTopic topic) {
        return topic.messages().stream()
                .filter(m -> m.payload() != null && m.payload().at("/source/replay_id").isTextual())
                .collect(Collectors.groupingBy(m -> m.payload().at("/source/replay_id").asText(),
                        Collectors.counting()));
    }

    /** The records of Salesforce UPDATE events (not of snapshots or re-reads). */
    private static List<Message> updateEvents(ChangeTopic topic) {
        return topic.withOp("u").stream()
                .filter(m -> "UPDATE".equals(m.payload().at("/source/change_type").asText())).toList();
    }

    /** {@code {"offsets": [{"partition": <partition>, "offset": <offset>}]}}. */
    private static String offsetsBody(JsonNode partition, JsonNode offset) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode entry = body.putArray("offsets").addObject();
        entry.set("partition", partition);
        entry.set("offset", offset);
        return body.toString();
    }

    private static JsonNode campaignPartition() {
        for (JsonNode entry : control.offsets("offsets").path("offsets")) {
            if ("Campaign".equals(entry.path("partition").path("object").asText())) {
                return entry.path("partition");
            }
        }
        throw new AssertionError("No partition of Campaign in " + control.offsets("offsets"));
    }

    @Test
    @Order(1)
    void patchingAnEarlierReplayIdReplaysTheEventsAfterIt() throws Exception {
        for (int i = 0; i < 6; i++) {
            org.update("Campaign", campaigns.get(i), Map.of("Description", "update " + i));
        }
        List<Message> updates = Eventually.until("the six update events on the topic", BOUND,
                () -> updateEvents(ChangeTopic.read(CONNECT, "of.Campaign")), u -> u.size() == 6);
        List<String> replayIds = updates.stream().map(m -> m.payload().at("/source/replay_id").asText()).toList();

        control.stop("offsets");
        JsonNode stored = control.offsetOf("offsets", "Campaign");
        assertThat(stored.path("phase").asText()).as(stored.toString()).isEqualTo("stream");
        assertThat(stored.path("replay_id").asText()).isEqualTo(replayIds.get(5));
        JsonNode partition = campaignPartition();
        assertThat(partition.path("org").asText()).isEqualTo(SALESFORCE.emulator().org().orgId());
        assertThat(partition.path("v").asInt()).isEqualTo(1);

        ObjectNode rewind = JSON.createObjectNode().put("phase", "stream").put("replay_id", replayIds.get(1));
        Reply reply = control.alterOffsets("offsets", offsetsBody(partition, rewind));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(control.offsetOf("offsets", "Campaign").path("replay_id").asText()).isEqualTo(replayIds.get(1));

        control.resume("offsets");
        CONNECT.awaitRunning("offsets", 1);
        Map<String, Long> counts = Eventually.until("the events after the rewound position to come again", BOUND,
                () -> perReplayId(ChangeTopic.read(CONNECT, "of.Campaign")),
                c -> replayIds.subList(2, 6).stream().allMatch(id -> c.getOrDefault(id, 0L) == 2));
        assertThat(counts.get(replayIds.get(0))).as("before the rewound position").isEqualTo(1L);
        assertThat(counts.get(replayIds.get(1))).as("the rewound position itself").isEqualTo(1L);
        awaitTopicMatchesOrg("of.Campaign", "Campaign", CAMPAIGN_FIELDS, "after the replay");
    }

    @Test
    @Order(2)
    void offsetsTheTaskCannotResumeFromAreRefusedWithTheReason() throws Exception {
        control.stop("offsets");
        try {
            JsonNode partition = campaignPartition();
            JsonNode before = control.offsetOf("offsets", "Campaign");

            ObjectNode unknownObject = partition.deepCopy();
            unknownObject.put("object", "Lead");
            Reply unknown = control.alterOffsets("offsets", offsetsBody(unknownObject,
                    JSON.createObjectNode().put("phase", "stream").put("replay_id", "AAAAAAAAADk=")));
            Reply badPhase = control.alterOffsets("offsets", offsetsBody(partition,
                    JSON.createObjectNode().put("phase", "sideways")));
            Reply badReplayId = control.alterOffsets("offsets", offsetsBody(partition,
                    JSON.createObjectNode().put("phase", "stream").put("replay_id", "not a replay id!")));
            Reply noReplayId = control.alterOffsets("offsets", offsetsBody(partition,
                    JSON.createObjectNode().put("phase", "stream")));

            // Connect answers whatever a connector's alterOffsets throws with HTTP 500 and the exception's message
            // (only its own checks of the request's shape get a 400): the reason is what the operator reads.
            assertRefused(unknown, "Lead", "object.include.list");
            assertRefused(badPhase, "phase", "sideways");
            assertRefused(badReplayId, "replay_id", "base64");
            assertRefused(noReplayId, "stream offset needs 'replay_id'");
            assertThat(control.offsetOf("offsets", "Campaign")).as("the stored offset is untouched")
                    .isEqualTo(before);
        } finally {
            control.resume("offsets");
        }
        CONNECT.awaitRunning("offsets", 1);
    }

    private static void assertRefused(Reply reply, String... reasons) {
        assertThat(reply.status()).as(reply.body()).isGreaterThanOrEqualTo(400);
        assertThat(reply.json().path("message").asText()).as(reply.body()).contains(reasons);
    }

    @Test
    @Order(3)
    void deletingTheOffsetsTakesANewSnapshot() throws Exception {
        org.delete("Campaign", campaigns.get(19));
        awaitTopicMatchesOrg("of.Campaign", "Campaign", CAMPAIGN_FIELDS, "before the reset");
        int readsBefore = ChangeTopic.read(CONNECT, "of.Campaign").withOp("r").size();
        control.stop("offsets");

        Reply reset = control.resetOffsets("offsets");
        assertThat(reset.status()).as(reset.body()).isEqualTo(200);
        JsonNode afterReset = control.offsetOf("offsets", "Campaign");
        assertThat(afterReset == null || afterReset.isNull()).as(String.valueOf(afterReset)).isTrue();

        control.resume("offsets");
        CONNECT.awaitRunning("offsets", 1);
        int live = org.records("Campaign").size();
        Eventually.until("a second snapshot of every Campaign", BOUND,
                () -> ChangeTopic.read(CONNECT, "of.Campaign").withOp("r").size(), n -> n == readsBefore + live);
        awaitTopicMatchesOrg("of.Campaign", "Campaign", CAMPAIGN_FIELDS, "after the new snapshot");
    }

    @Test
    @Order(4)
    void anExpiredReplayPositionFollowsReplayExpiredPolicy() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            rows.add(Map.of("Name", "Product " + i, "ProductCode", "P" + i, "Description", "initial"));
        }
        List<String> products = org.create("Product2", rows);
        Map<String, String> policies = Map.of("er", "resnapshot", "ef", "fail", "el", "latest");
        for (Map.Entry<String, String> p : policies.entrySet()) {
            Map<String, String> s = fields("Product2", PRODUCT_FIELDS);
            s.put("replay.expired.policy", p.getValue());
            CONNECT.deploy(org.sourceConnector("expire-" + p.getValue(), p.getKey(), "Product2", 1, s));
        }
        for (Map.Entry<String, String> p : policies.entrySet()) {
            CONNECT.awaitRunning("expire-" + p.getValue(), 1);
            ConnectorControl.awaitStreaming("expire-" + p.getValue(), "Product2", BOUND);
        }
        // One streamed change, so that each connector stores a stream position.
        org.update("Product2", products.get(0), Map.of("Description", "streamed"));
        for (Map.Entry<String, String> p : policies.entrySet()) {
            awaitTopicMatchesOrg(p.getKey() + ".Product2", "Product2", PRODUCT_FIELDS, "before the stop");
            Eventually.until(p.getKey() + " to stream the update", BOUND,
                    () -> updateEvents(ChangeTopic.read(CONNECT, p.getKey() + ".Product2")).size(), n -> n == 1);
        }
        for (Map.Entry<String, String> p : policies.entrySet()) {
            control.stop("expire-" + p.getValue());
            assertThat(control.offsetOf("expire-" + p.getValue(), "Product2").path("phase").asText())
                    .isEqualTo("stream");
        }
        int readsBefore = ChangeTopic.read(CONNECT, "er.Product2").withOp("r").size();

        // While stopped: a change whose event Salesforce then drops (retention), so the stored positions expire,
        // then changes that stay in the event log, a delete among them.
        org.update("Product2", products.get(1), Map.of("Description", "event lost to retention"));
        SALESFORCE.emulator().clock().advance(Duration.ofSeconds(2));
        SALESFORCE.emulator().cdc().setRetention(Duration.ofSeconds(1));
        SALESFORCE.emulator().cdc().setRetention(Duration.ofHours(72));
        assertThat(SALESFORCE.emulator().cdc().earliestReplayId()).as("the event log is emptied").isEmpty();
        org.update("Product2", products.get(2), Map.of("Description", "after expiry"));
        org.delete("Product2", products.get(3));
        String created = org.create("Product2", Map.of("Name", "Created after expiry", "ProductCode", "NEW"));

        for (String policy : policies.values()) {
            control.resume("expire-" + policy);
        }

        // resnapshot: a new snapshot, and the record deleted meanwhile gets a delete.
        CONNECT.awaitRunning("expire-resnapshot", 1);
        awaitTopicMatchesOrg("er.Product2", "Product2", PRODUCT_FIELDS, "after the re-snapshot");
        ChangeTopic resnapshot = ChangeTopic.read(CONNECT, "er.Product2");
        int live = org.records("Product2").size();
        assertThat(resnapshot.withOp("r")).as("a second snapshot of every record").hasSize(readsBefore + live);
        assertThat(resnapshot.withOp("d")).extracting(m -> m.keyPayload().get("Id").asText())
                .contains(products.get(3));
        assertThat(resnapshot.state()).containsKey(created).doesNotContainKey(products.get(3));
        assertThat(ConnectorControl.pluginMetric("expire-resnapshot", "Product2", "resyncs")).isPositive();

        // fail: the task fails and says what to do.
        String trace = Eventually.until("expire-fail's task to fail", BOUND, () -> {
            JsonNode task = control.status("expire-fail").path("tasks").path(0);
            return task.path("state").asText().equals("FAILED") ? task.path("trace").asText() : null;
        }, t -> t != null);
        assertThat(trace).contains("replay.expired.policy").contains("Product2");

        // latest: the task runs on from the newest event.
        CONNECT.awaitRunning("expire-latest", 1);
        org.update("Product2", products.get(4), Map.of("Description", "after resume"));
        Eventually.until("expire-latest to stream a change made after the resume", BOUND,
                () -> ChangeTopic.read(CONNECT, "el.Product2").state().get(products.get(4)),
                row -> row != null && "after resume".equals(row.get("Description").asText()));
        assertThat(control.taskState("expire-latest", 0)).isEqualTo("RUNNING");
    }
}
