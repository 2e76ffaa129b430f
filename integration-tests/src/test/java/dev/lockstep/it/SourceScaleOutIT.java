package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.BackgroundWrites;
import dev.lockstep.it.harness.ChangeTopic;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.SalesforceOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source connector spread over two Connect workers: four objects over two tasks, each object read by exactly
 * one task, and a worker stopped while Salesforce changes are being written. Its task moves to the surviving worker,
 * resumes from the committed replay position, and once the writes stop every topic holds what the org holds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceScaleOutIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    /** A departed worker's tasks are reassigned after this delay (5 minutes by default, waiting for its return). */
    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension(2)
            .workerProperty("scheduled.rebalance.max.delay.ms", "2000")
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String CONNECTOR = "sf-scale";
    private static final List<String> OBJECTS = List.of("Account", "Contact", "Product2", "Campaign");
    /** Partial updates: every field here travels in change events (SystemModstamp and formulas do not). */
    private static final Map<String, List<String>> FIELDS = Map.of(
            "Account", List.of("Id", "Name", "Industry", "Description", "LastModifiedDate"),
            "Contact", List.of("Id", "LastName", "FirstName", "Email", "AccountId", "LastModifiedDate"),
            "Product2", List.of("Id", "Name", "ProductCode", "Description", "IsActive", "LastModifiedDate"),
            "Campaign", List.of("Id", "Name", "Description", "IsActive", "LastModifiedDate"));

    private static SalesforceOrg org;
    private static final Map<String, List<String>> IDS = new HashMap<>();

    @BeforeAll
    static void seedAndDeploy() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        List<Map<String, Object>> accounts = new ArrayList<>();
        List<Map<String, Object>> products = new ArrayList<>();
        List<Map<String, Object>> campaigns = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            accounts.add(Map.of("Name", "Account " + i, "Industry", "Energy"));
            products.add(Map.of("Name", "Product " + i, "ProductCode", "P-" + i, "IsActive", true));
            campaigns.add(Map.of("Name", "Campaign " + i, "IsActive", i % 2 == 0));
        }
        IDS.put("Account", new ArrayList<>(org.create("Account", accounts)));
        IDS.put("Product2", new ArrayList<>(org.create("Product2", products)));
        IDS.put("Campaign", new ArrayList<>(org.create("Campaign", campaigns)));
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            contacts.add(Map.of("LastName", "Contact " + i, "FirstName", "F" + i, "Email", "c" + i + "@example.com",
                    "AccountId", IDS.get("Account").get(i % 20)));
        }
        IDS.put("Contact", new ArrayList<>(org.create("Contact", contacts)));
        CONNECT.deploy(org.sourceConnector(CONNECTOR, "scale", String.join(",", OBJECTS), 2, Map.of()));
        CONNECT.awaitRunning(CONNECTOR, 2);
    }

    @AfterAll
    static void close() {
        org.close();
    }

    private static void awaitEveryTopicMatchesOrg(String when) {
        for (String object : OBJECTS) {
            Eventually.until("scale." + object + " to match Salesforce " + when, BOUND,
                    () -> ChangeTopic.read(CONNECT, "scale." + object).differencesFrom(org.records(object),
                            FIELDS.get(object)),
                    List::isEmpty);
        }
    }

    @Test
    @Order(1)
    void everyObjectIsReadByExactlyOneTask() {
        JsonNode tasks = CONNECT.rest("connectors/" + CONNECTOR + "/tasks");
        assertThat(tasks).hasSize(2);
        List<String> assigned = new ArrayList<>();
        for (JsonNode task : tasks) {
            List<String> objects = List.of(task.at("/config/task.objects").asText().split(","));
            assertThat(objects).as("objects of task %s", task.get("id")).isNotEmpty();
            assigned.addAll(objects);
        }
        assertThat(assigned).as("every object in exactly one task").containsExactlyInAnyOrderElementsOf(OBJECTS);

        JsonNode status = CONNECT.rest("connectors/" + CONNECTOR + "/status");
        Set<String> workers = new HashSet<>();
        status.get("tasks").forEach(t -> workers.add(t.get("worker_id").asText()));
        assertThat(workers).as("the two tasks run on the two workers: %s", status).hasSize(2);

        awaitEveryTopicMatchesOrg("after the snapshot");
    }

    @Test
    @Order(2)
    void aStoppedWorkersTaskMovesToTheSurvivorWithoutLosingChanges() throws Exception {
        JsonNode status = CONNECT.rest("connectors/" + CONNECTOR + "/status");
        String victimId = status.get("tasks").get(0).get("worker_id").asText();
        WorkerHandle victim = CONNECT.cluster().workers().stream()
                .filter(w -> victimId.endsWith(":" + w.url().getPort())).findFirst().orElseThrow(
                        () -> new AssertionError("No worker for " + victimId + " among " + CONNECT.workerUrls()));

        BackgroundWrites writes = BackgroundWrites.every(20, n -> write(n));
        try {
            Eventually.until("changes to be written before the worker stops", BOUND, () -> writes.count() >= 40);
            CONNECT.cluster().removeWorker(victim);
            int atFailover = writes.count();
            Eventually.until("both tasks to run on the surviving worker", BOUND,
                    () -> CONNECT.rest("connectors/" + CONNECTOR + "/status"),
                    s -> s.get("tasks").size() == 2 && allRunningOn(s, CONNECT.workerUrls().get(0).getPort()));
            Eventually.until("changes to be written after the failover", BOUND,
                    () -> writes.count() >= atFailover + 80);
        } finally {
            writes.close();
        }
        assertThat(CONNECT.workerUrls()).hasSize(1);
        awaitEveryTopicMatchesOrg("after " + writes.count() + " changes across a worker's stop");
    }

    private static boolean allRunningOn(JsonNode status, int port) {
        for (JsonNode task : status.get("tasks")) {
            if (!"RUNNING".equals(task.get("state").asText())
                    || !task.get("worker_id").asText().endsWith(":" + port)) {
                return false;
            }
        }
        return "RUNNING".equals(status.at("/connector/state").asText());
    }

    /** One change of the load, touching each object in turn: creates, updates, deletes, nulled fields. */
    private static void write(int n) {
        String object = OBJECTS.get(n % OBJECTS.size());
        List<String> ids = IDS.get(object);
        String target = ids.get((n / OBJECTS.size()) % ids.size());
        switch (n % 7) {
            case 3 -> ids.add(org.create(object, created(object, n)));
            case 5 -> {
                if (ids.size() > 10 && !object.equals("Account")) {
                    org.delete(object, ids.remove(ids.size() - 1));
                } else {
                    org.update(object, target, Map.of("Description", "deleted nothing " + n));
                }
            }
            default -> {
                Map<String, Object> change = new HashMap<>();
                change.put("Description", n % 5 == 0 ? null : "change " + n);
                switch (object) {
                    case "Account" -> change.put("Industry", n % 2 == 0 ? "Retail" : "Banking");
                    case "Contact" -> change.put("FirstName", "F" + n);
                    case "Product2" -> change.put("IsActive", n % 2 == 0);
                    default -> change.put("Name", "Campaign " + n);
                }
                if (object.equals("Contact")) {
                    change.remove("Description");
                }
                org.update(object, target, change);
            }
        }
    }

    private static Map<String, Object> created(String object, int n) {
        return switch (object) {
            case "Account" -> Map.of("Name", "Account w" + n, "Industry", "Energy");
            case "Contact" -> Map.of("LastName", "Contact w" + n, "AccountId", IDS.get("Account").get(0));
            case "Product2" -> Map.of("Name", "Product w" + n, "ProductCode", "W-" + n);
            default -> Map.of("Name", "Campaign w" + n);
        };
    }
}
