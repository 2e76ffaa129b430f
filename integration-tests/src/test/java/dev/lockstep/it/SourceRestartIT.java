package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.emulator.org.WriteContext;
import dev.lockstep.it.harness.ChangeTopic;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.ConnectClusterExtension.Message;
import dev.lockstep.it.harness.ConnectorControl;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.Gate;
import dev.lockstep.it.harness.SalesforceOrg;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source connector stopped and resumed through the Connect REST API ({@code PUT /connectors/<name>/stop},
 * {@code /resume}) in the middle of a Bulk API 2.0 snapshot, of a REST snapshot and of the stream, and a snapshot
 * taken while the org is being written to. A {@link Gate} holds the worker after a chosen number of records, so the
 * stop lands mid-snapshot every time. Each scenario has its own object, connector and topic prefix, and ends by
 * comparing what a consumer folds from the topic with the emulator's records.
 *
 * <p>Duplicates after a restart are bounded by one batch ({@code max.batch.size} = {@value #BATCH}): at a stop
 * the worker commits the offsets of every record Kafka acknowledged, and a held worker finishes only the batch it
 * was sending, so at most the records of that batch can be read again.
 */
class SourceRestartIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final int BATCH = 50;
    private static final int BULK_CHUNK = 200;
    private static final List<String> ACCOUNT_FIELDS = List.of("Id", "Name", "Industry", "NumberOfEmployees");
    private static final List<String> CONTACT_FIELDS = List.of("Id", "LastName", "FirstName", "Email");
    private static final List<String> LEAD_FIELDS = List.of("Id", "LastName", "Company", "Status");

    private static SalesforceOrg org;
    private static ConnectorControl control;

    @BeforeAll
    static void seed() {
        org = new SalesforceOrg(SALESFORCE.emulator());
        control = new ConnectorControl(CONNECT);
        // Salesforce picks the Bulk result chunk size; small chunks here make the snapshot span several locators.
        SALESFORCE.emulator().bulk().setDefaultMaxRecords(BULK_CHUNK);
    }

    @AfterAll
    static void close() {
        Gate.openAll();
        org.close();
    }

    /** Settings every connector of this class shares: small batches, a small queue, only the compared fields. */
    private static Map<String, String> settings(String object, List<String> fields, Map<String, String> more) {
        Map<String, String> s = new HashMap<>();
        s.put("max.batch.size", Integer.toString(BATCH));
        s.put("max.queue.size", Integer.toString(2 * BATCH));
        s.put("field.include.list", fields.stream().map(f -> object + "." + f).collect(Collectors.joining(",")));
        s.putAll(more);
        return s;
    }

    private static List<Map<String, Object>> accounts(int count) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(Map.of("Name", "Bulk " + i, "Industry", i % 2 == 0 ? "Energy" : "Banking",
                    "NumberOfEmployees", i));
        }
        return rows;
    }

    private static void awaitTopicMatchesOrg(String topic, String object, List<String> fields, String when) {
        Eventually.until(topic + " to match Salesforce " + when, BOUND,
                () -> ChangeTopic.read(CONNECT, topic).differencesFrom(org.records(object), fields), List::isEmpty);
    }

    /** Waits until the worker is held at the valve with exactly {@code count} records let through and on the topic. */
    private static void awaitHeldAfter(Gate.Valve valve, String topic, int count) {
        Eventually.until("the worker to be held after " + count + " records", BOUND,
                () -> valve.holding() && valve.passed() == count);
        Eventually.until(count + " snapshot records on " + topic, BOUND,
                () -> ChangeTopic.read(CONNECT, topic).withOp("r").size(), n -> n == count);
    }

    /**
     * Stops the connector while its worker is held at the valve. The stop request reaches the task asynchronously
     * and the task only sees it between two batches, so the valve then lets records through slowly (a slow
     * downstream): the held batch completes, and the task leaves its send loop long before it could race through
     * the rest of the snapshot.
     */
    private static void stopWhileHeld(String connector, Gate.Valve valve) throws Exception {
        int closes = valve.closes();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                control.stop(connector);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        valve.trickle(Duration.ofMillis(20));
        stopping.get();
        Eventually.until(connector + "'s task to leave its send loop", BOUND, () -> valve.closes() > closes);
        valve.open();
    }

    private static Map<String, Long> countById(List<Message> messages) {
        return messages.stream().collect(Collectors.groupingBy(m -> m.keyPayload().get("Id").asText(),
                Collectors.counting()));
    }

    @Test
    void bulkSnapshotStoppedMidwayResumesFromItsJobAndLocator() throws Exception {
        int total = 1500;
        int allowed = 500;
        List<String> ids = org.create("Account", accounts(total));
        Gate.Valve valve = Gate.valve("restart-bulk");
        valve.allow(allowed);
        Map<String, String> s = settings("Account", ACCOUNT_FIELDS, Gate.settings("restart-bulk"));
        s.put("snapshot.bulk.threshold", "1000");
        CONNECT.deploy(org.sourceConnector("restart-bulk", "rb", "Account", 1, s));
        CONNECT.awaitRunning("restart-bulk", 1);

        awaitHeldAfter(valve, "rb.Account", allowed);
        stopWhileHeld("restart-bulk", valve);

        int beforeResume = ChangeTopic.read(CONNECT, "rb.Account").withOp("r").size();
        assertThat(beforeResume).as("records on the topic when the connector stopped: some, not all")
                .isBetween(allowed, total - 1);
        JsonNode offset = control.offsetOf("restart-bulk", "Account");
        assertThat(offset).as("stored offset of Account").isNotNull();
        assertThat(offset.path("phase").asText()).as(offset.toString()).isEqualTo("snapshot");
        assertThat(offset.path("job").asText()).as("Bulk job id").startsWith("750");
        assertThat(offset.path("locator").asText()).as("the locator of the chunk being read (not the first)")
                .isNotEmpty();
        assertThat(offset.path("done").asLong()).isBetween((long) allowed, (long) beforeResume);
        assertThat(offset.path("row").asLong()).as("rows of the chunk already emitted")
                .isEqualTo((offset.path("done").asLong() - 1) % BULK_CHUNK + 1);
        assertThat(offset.path("total").asLong()).isEqualTo(total);
        String job = offset.path("job").asText();

        control.resume("restart-bulk");
        CONNECT.awaitRunning("restart-bulk", 1);
        awaitTopicMatchesOrg("rb.Account", "Account", ACCOUNT_FIELDS, "after the resumed Bulk snapshot");

        ChangeTopic topic = ChangeTopic.read(CONNECT, "rb.Account");
        List<Message> reads = topic.withOp("r");
        assertThat(reads.size()).as("snapshot records: every record, at most one batch twice, no second snapshot")
                .isBetween(total, total + BATCH);
        assertThat(countById(reads).keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(reads.stream().filter(m -> m.payload().at("/source/snapshot").asText().equals("last")))
                .hasSize(1);
        assertThat(bulkQueryJobs("Account")).as("the resumed task read the job it had started: no second job")
                .containsExactly(job);
    }

    /** The Ids of the Bulk query jobs of an object, as Salesforce lists them ({@code GET .../jobs/query}). */
    private static List<String> bulkQueryJobs(String object) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(SALESFORCE.emulator().baseUri()
                        .resolve("/services/data/v61.0/jobs/query"))
                        .header("Authorization", "Bearer " + SALESFORCE.emulator().accessToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> jobs = new ArrayList<>();
        for (JsonNode job : new ObjectMapper().readTree(response.body())
                .path("records")) {
            if (object.equals(job.path("object").asText())) {
                jobs.add(job.path("id").asText());
            }
        }
        return jobs;
    }

    @Test
    void restSnapshotStoppedMidwayResumesAfterTheLastIdThenTheStreamSurvivesAStop() throws Exception {
        int total = 800;
        int allowed = 300;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            rows.add(Map.of("LastName", "Rest " + i, "FirstName", "F" + i, "Email", "rest" + i + "@example.com"));
        }
        List<String> ids = org.create("Contact", rows);
        Gate.Valve valve = Gate.valve("restart-rest");
        valve.allow(allowed);
        CONNECT.deploy(org.sourceConnector("restart-rest", "rr", "Contact", 1,
                settings("Contact", CONTACT_FIELDS, Gate.settings("restart-rest"))));
        CONNECT.awaitRunning("restart-rest", 1);

        awaitHeldAfter(valve, "rr.Contact", allowed);
        stopWhileHeld("restart-rest", valve);

        int beforeResume = ChangeTopic.read(CONNECT, "rr.Contact").withOp("r").size();
        assertThat(beforeResume).isBetween(allowed, total - 1);
        JsonNode offset = control.offsetOf("restart-rest", "Contact");
        assertThat(offset.path("phase").asText()).as(control.offsets("restart-rest").toString())
                .isEqualTo("snapshot");
        assertThat(offset.has("job")).as("a REST snapshot has no Bulk job").isFalse();
        assertThat(ids).as("the last Id read is one of the records").contains(offset.path("last_id").asText());

        control.resume("restart-rest");
        CONNECT.awaitRunning("restart-rest", 1);
        awaitTopicMatchesOrg("rr.Contact", "Contact", CONTACT_FIELDS, "after the resumed REST snapshot");
        List<Message> reads = ChangeTopic.read(CONNECT, "rr.Contact").withOp("r");
        assertThat(reads.size()).isBetween(total, total + BATCH);
        assertThat(countById(reads).keySet()).containsExactlyInAnyOrderElementsOf(ids);

        // Mid-stream: changes before the stop arrive once; changes made while stopped arrive after the resume.
        ConnectorControl.awaitStreaming("restart-rest", "Contact", BOUND);
        for (int i = 0; i < 5; i++) {
            org.update("Contact", ids.get(i), Map.of("FirstName", "Before stop " + i));
        }
        Eventually.until("the update events before the stop on the topic", BOUND,
                () -> ChangeTopic.read(CONNECT, "rr.Contact").withOp("u").stream()
                        .filter(m -> "UPDATE".equals(m.payload().at("/source/change_type").asText())).count(),
                n -> n == 5);
        awaitTopicMatchesOrg("rr.Contact", "Contact", CONTACT_FIELDS, "before the stop");
        Set<String> streamedBeforeStop = replayIds(ChangeTopic.read(CONNECT, "rr.Contact"));
        control.stop("restart-rest");
        JsonNode streamOffset = control.offsetOf("restart-rest", "Contact");
        assertThat(streamOffset.path("phase").asText()).isEqualTo("stream");
        assertThat(streamedBeforeStop).contains(streamOffset.path("replay_id").asText());

        String created = org.create("Contact", Map.of("LastName", "While stopped", "Email", "new@example.com"));
        for (int i = 5; i < 10; i++) {
            org.update("Contact", ids.get(i), Map.of("FirstName", "While stopped " + i, "Email",
                    "stopped" + i + "@example.com"));
        }
        org.delete("Contact", ids.get(10));
        org.delete("Contact", ids.get(11));

        control.resume("restart-rest");
        CONNECT.awaitRunning("restart-rest", 1);
        awaitTopicMatchesOrg("rr.Contact", "Contact", CONTACT_FIELDS, "after the changes made while stopped");

        ChangeTopic topic = ChangeTopic.read(CONNECT, "rr.Contact");
        assertThat(topic.withOp("c")).extracting(m -> m.keyPayload().get("Id").asText()).containsExactly(created);
        assertThat(topic.withOp("d")).extracting(m -> m.keyPayload().get("Id").asText())
                .containsExactlyInAnyOrder(ids.get(10), ids.get(11));
        Map<String, Long> perReplayId = topic.messages().stream()
                .filter(m -> m.payload() != null && !m.payload().at("/source/replay_id").isMissingNode()
                        && !m.payload().at("/source/replay_id").isNull())
                .collect(Collectors.groupingBy(m -> m.payload().at("/source/replay_id").asText(),
                        Collectors.counting()));
        assertThat(streamedBeforeStop).allSatisfy(replayId -> assertThat(perReplayId.get(replayId))
                .as("events committed before the stop are not read again").isEqualTo(1L));
        assertThat(perReplayId.size()).as("5 updates before, 1 create, 5 updates, 2 deletes while stopped")
                .isEqualTo(13);
    }

    private static Set<String> replayIds(ChangeTopic topic) {
        Set<String> ids = new HashSet<>();
        for (Message m : topic.messages()) {
            if (m.payload() != null && m.payload().at("/source/replay_id").isTextual()) {
                ids.add(m.payload().at("/source/replay_id").asText());
            }
        }
        return ids;
    }

    @Test
    void writesDuringABulkSnapshotLeaveNoStaleRowAndNoLostDelete() throws Exception {
        int total = 2500;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            rows.add(Map.of("LastName", "Lead " + i, "Company", "Company " + i, "Status", "Open - Not Contacted"));
        }
        List<String> ids = org.create("Lead", rows);
        Gate.Valve valve = Gate.valve("snapshot-writes");
        valve.allow(800);
        Map<String, String> s = settings("Lead", LEAD_FIELDS, Gate.settings("snapshot-writes"));
        s.put("snapshot.bulk.threshold", "1000");
        CONNECT.deploy(org.sourceConnector("snapshot-writes", "sw", "Lead", 1, s));
        CONNECT.awaitRunning("snapshot-writes", 1);
        Eventually.until("the snapshot to be held mid-way", BOUND, () -> valve.holding() && valve.passed() == 800);

        // Another thread updates and deletes records on both sides of where the snapshot stands, while the rest of
        // the snapshot flows once half of the writes are done.
        WriteContext writer = new WriteContext(SALESFORCE.emulator().adminUserId(), "REST API", "it-writer", "61.0");
        Function<Integer, Void> write = i -> {
            String id = ids.get(i);
            SALESFORCE.emulator().org().write(writer, txn -> {
                if (i % 5 == 0) {
                    txn.delete(id);
                } else {
                    txn.update(id, Map.of("Company", "Renamed " + i, "Status", "Working - Contacted"));
                }
                return null;
            });
            return null;
        };
        List<Integer> touched = new ArrayList<>();
        for (int i = 3; i < total; i += 17) {
            touched.add(i);
        }
        CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
            for (int k = 0; k < touched.size(); k++) {
                write.apply(touched.get(k));
                if (k == touched.size() / 2) {
                    valve.open();
                }
            }
        });
        writes.get();

        awaitTopicMatchesOrg("sw.Lead", "Lead", LEAD_FIELDS, "after a snapshot with concurrent writes");
        ChangeTopic topic = ChangeTopic.read(CONNECT, "sw.Lead");
        Set<String> deleted = touched.stream().filter(i -> i % 5 == 0).map(ids::get).collect(Collectors.toSet());
        assertThat(deleted).isNotEmpty();
        assertThat(topic.withOp("r")).as("the Bulk job read every record as it was when the snapshot began")
                .hasSize(total);
        assertThat(countById(topic.withOp("d")).keySet()).as("every record deleted during the snapshot")
                .containsExactlyInAnyOrderElementsOf(deleted);
        assertThat(topic.state()).hasSize(total - deleted.size());
    }
}
