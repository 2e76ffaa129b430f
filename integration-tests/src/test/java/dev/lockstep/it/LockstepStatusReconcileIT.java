package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.ConnectorControl;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.LockstepProcess;
import dev.lockstep.it.harness.PostgresExtension;
import dev.lockstep.it.harness.PostgresMirror;
import dev.lockstep.it.harness.PostgresSync;
import dev.lockstep.it.harness.SalesforceOrg;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep status} and {@code lockstep reconcile} as a user runs them: separate JVMs on the built command line
 * ({@link LockstepProcess}) against a sync deployed as {@code lockstep deploy} deploys it ({@link PostgresSync}), on
 * the emulator, a real Postgres and a Connect cluster running the plugin archive and the Debezium JDBC sink. A
 * healthy sync, then a failed source task and a dead-lettered record for status; then changes made behind the
 * pipeline's back (a column updated, a row deleted, a fake row inserted, a record changed while its sink is
 * stopped) for reconcile, and a repair through the pipeline after which both sides agree again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LockstepStatusReconcileIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String NAME = "rs";
    private static final String SOURCE = "rs-salesforce";
    private static final String CONTACT_SINK = "rs-postgres-salesforce-contact";
    private static final String MAPPINGS = """
            {"version": 1, "mappings": [
              {"object_name": "Account", "config": {"access": "read_only",
                "fields": {"Name": {}, "AnnualRevenue": {}, "NumberOfEmployees": {}}}},
              {"object_name": "Contact", "config": {"access": "read_only",
                "fields": {"FirstName": {}, "LastName": {}, "Email": {}, "AccountId": {}}}},
              {"object_name": "Sync_Sample__c", "config": {"access": "read_only",
                "fields": {"Name": {}, "Amount__c": {}, "Text__c": {}}}}
            ]}""";

    @TempDir
    static Path dir;

    private static SalesforceOrg org;
    private static PostgresSync sync;
    private static PostgresMirror mirror;
    private static ConnectorControl control;
    private static LockstepProcess lockstep;
    private static Path mapping;
    private static Path salesforceProperties;
    private static final List<String> accounts = new ArrayList<>();
    private static final List<String> contacts = new ArrayList<>();
    private static final List<String> samples = new ArrayList<>();

    @BeforeAll
    static void seedAndDeploy() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        mirror = new PostgresMirror(POSTGRES);
        control = new ConnectorControl(CONNECT);
        for (int i = 0; i < 4; i++) {
            accounts.add(org.create("Account", Map.of("Name", "Account " + i, "AnnualRevenue",
                    new BigDecimal(250_000 * (i + 1)), "NumberOfEmployees", 10 * (i + 1))));
        }
        for (int i = 0; i < 8; i++) {
            contacts.add(org.create("Contact", Map.of("FirstName", "First" + i, "LastName", "Contact " + i, "Email",
                    "contact" + i + "@example.com", "AccountId", accounts.get(i % 4))));
        }
        for (int i = 0; i < 3; i++) {
            samples.add(org.create("Sync_Sample__c", Map.of("Name", "Sample " + i, "Amount__c",
                    new BigDecimal("19.99"), "Text__c", "t" + i)));
        }
        sync = PostgresSync.deploy(NAME, MAPPINGS, org, POSTGRES, CONNECT, Map.of());
        for (Mapping m : sync.mappings()) {
            Eventually.until(m.qualifiedTable() + " to match Salesforce after the snapshot", BOUND,
                    () -> mirror.differencesFrom(m, org.records(m.objectName()), m.fields()), List::isEmpty);
        }
        mapping = write("rs.json", MAPPINGS);
        salesforceProperties = write("salesforce.properties", String.join("\n",
                "salesforce.login.url=" + SALESFORCE.emulator().baseUri(),
                "salesforce.auth.flow=client_credentials",
                "salesforce.client.id=" + EmulatorConfig.DEFAULT_CLIENT_ID,
                "salesforce.client.secret=" + EmulatorConfig.DEFAULT_CLIENT_SECRET, ""));
        lockstep = new LockstepProcess(dir).env("LOCKSTEP_POSTGRES_PASSWORD",
                POSTGRES.placeholders().get("POSTGRES_PASSWORD"));
    }

    @AfterAll
    static void close() {
        if (org != null) {
            org.close();
        }
    }

    private static Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static List<String> common(String command) {
        return new ArrayList<>(List.of(command, "--mapping", mapping.toString(), "--salesforce",
                salesforceProperties.toString(), "--postgres", POSTGRES.jdbcUrl(), "--postgres-user",
                POSTGRES.placeholders().get("POSTGRES_USER"), "--connect", CONNECT.workerUrls().get(0).toString(),
                "--name", NAME));
    }

    private static LockstepProcess.Result status(String... more) throws Exception {
        List<String> args = common("status");
        args.addAll(List.of("--bootstrap-servers", CONNECT.bootstrapServers()));
        args.addAll(List.of(more));
        return lockstep.run(args.toArray(String[]::new));
    }

    private static LockstepProcess.Result reconcile(String... more) throws Exception {
        List<String> args = common("reconcile");
        args.addAll(List.of("--settle", "2s"));
        args.addAll(List.of(more));
        return lockstep.run(args.toArray(String[]::new));
    }

    /** Runs status until it exits with {@code exit}, and returns that run. */
    private static LockstepProcess.Result statusUntil(int exit, String... more) {
        return Eventually.until("lockstep status to exit " + exit, BOUND, () -> status(more), r -> r.exit() == exit);
    }

    @Test
    @Order(1)
    void statusOfAHealthySyncExitsZeroWithEqualCounts() throws Exception {
        LockstepProcess.Result run = statusUntil(0);

        assertThat(run.out()).containsPattern("rs-salesforce +source +RUNNING +1 of 1 running")
                .containsPattern("rs-postgres-salesforce-contact +sink +RUNNING +1 of 1 running")
                .containsPattern("Account +salesforce\\.account +\\S.* +4 +4 +0 +0s +0 +ok")
                .containsPattern("Contact +salesforce\\.contact +\\S.* +8 +8 +0 +0s +0 +ok")
                .contains("Health: ok (exit 0)")
                .doesNotContain("Not measured");

        JsonNode json = new ObjectMapper().readTree(status("--json").out());
        assertThat(json.path("health").asText()).isEqualTo("ok");
        for (JsonNode m : json.path("mappings")) {
            assertThat(m.path("counts").path("salesforce").asLong()).as(m.toString())
                    .isEqualTo(m.path("counts").path("liveRows").asLong());
            assertThat(m.path("lag").path("lagSeconds").asDouble()).isZero();
        }
    }

    @Test
    @Order(2)
    void statusShowsAFailedSourceTaskWithItsErrorAndExitsFive() throws Exception {
        // Contact's change events switched off in Setup: the restarted task cannot subscribe and fails.
        SALESFORCE.emulator().cdc().select(Set.of("Account", "Sync_Sample__c"));
        try {
            CONNECT.cluster().restartTask(SOURCE, 0);
            Eventually.until(SOURCE + " task 0 to fail", BOUND, () -> "FAILED".equals(control.taskState(SOURCE, 0)));

            LockstepProcess.Result run = status();
            assertThat(run.exit()).as(run.toString()).isEqualTo(5);
            assertThat(run.out()).containsPattern("rs-salesforce +source +RUNNING +0 of 1 running, task 0 FAILED")
                    .contains("rs-salesforce task 0: ")
                    .contains("Contact: source rs-salesforce task 0 FAILED")
                    .contains("POST /connectors/rs-salesforce/tasks/0/restart")
                    .contains("Health: failed (exit 5)");
        } finally {
            SALESFORCE.emulator().cdc().select(Set.of());
            CONNECT.cluster().restartTask(SOURCE, 0);
            CONNECT.awaitRunning(SOURCE, 1);
        }
        statusUntil(0);
    }

    @Test
    @Order(3)
    void statusShowsADeadLetteredRecordWithItsMessageAndExitsFive() throws Exception {
        String bad = samples.get(1);
        org.update("Sync_Sample__c", bad, Map.of("Text__c", "before\u0000after"));

        LockstepProcess.Result run = statusUntil(5);
        assertThat(run.out()).contains("Sync_Sample__c: 1 record(s) of this mapping in the dead-letter topic")
                .containsPattern("Sync_Sample__c: dead letter \\S+ from rs\\.Sync_Sample__c\\[0\\]@\\d+: .*" + bad)
                .contains("Health: failed (exit 5)");

        // Fixed in Salesforce, the record syncs; the dead letter stays in the window it is counted in.
        org.update("Sync_Sample__c", bad, Map.of("Text__c", "fixed"));
        Eventually.until("the fixed value to arrive", BOUND,
                () -> mirror.rows(sync.mapping("Sync_Sample__c")).get(bad).get("text__c"), "fixed"::equals);
        assertThat(status().exit()).isEqualTo(5);
        statusUntil(0, "--errors-since", "1s");
    }

    @Test
    @Order(4)
    void reconcileOfEqualSidesExitsZero() throws Exception {
        LockstepProcess.Result run = reconcile();

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("Account +salesforce\\.account +4 +4 +0 +0 +0 +0 +0 +equal")
                .containsPattern("Contact +salesforce\\.contact +8 +8 +0 +0 +0 +0 +0 +equal")
                .contains("Result: equal (exit 0)");
    }

    @Test
    @Order(5)
    void differencesMadeBehindThePipelinesBackAreEachReportedWithObjectIdAndField() throws Exception {
        String renamed = contacts.get(0);
        String deletedAccount = accounts.get(1);
        String fake = "003000000000999AAA";
        String changedWhileStopped = contacts.get(2);
        POSTGRES.execute("UPDATE salesforce.contact SET lastname = 'Renamed in Postgres' WHERE sfid = '" + renamed
                + "'");
        POSTGRES.execute("DELETE FROM salesforce.account WHERE sfid = '" + deletedAccount + "'");
        POSTGRES.execute("INSERT INTO salesforce.contact (sfid, lastname, isdeleted) VALUES ('" + fake
                + "', 'Not in Salesforce', false)");
        control.stop(CONTACT_SINK);
        org.update("Contact", changedWhileStopped, Map.of("Email", "new@example.com"));

        LockstepProcess.Result run = reconcile();
        assertThat(run.exit()).as(run.toString()).isEqualTo(4);
        assertThat(run.out())
                .containsPattern("Account +salesforce\\.account +4 +3 +1 +0 +0 +0 +0 +differs")
                .containsPattern("Contact +salesforce\\.contact +8 +9 +0 +1 +2 +0 +2 +differs")
                .containsPattern(deletedAccount + " +no row")
                .containsPattern(renamed + " +LastName +lastname +\"Contact 0\" +\"Renamed in Postgres\"")
                .containsPattern(changedWhileStopped + " +Email +email +\"new@example.com\" +\"contact2@example.com\"")
                .contains("Extra: live row, no live record in Salesforce: 1").containsPattern("\n +" + fake + "\n")
                .containsPattern(contacts.get(1) + " +AccountId +accountid +salesforce\\.account +" + deletedAccount)
                .containsPattern(contacts.get(5) + " +AccountId +accountid +salesforce\\.account +" + deletedAccount)
                .contains("Result: 2 of 3 object(s) differ (exit 4)");

        JsonNode json = new ObjectMapper().readTree(reconcile("--json", "--object", "Contact").out());
        JsonNode contact = json.path("objects").get(0);
        assertThat(json.path("objects")).hasSize(1);
        assertThat(contact.path("extra").path("shown").get(0).asText()).isEqualTo(fake);
        assertThat(contact.path("fieldDifferences").path("records").asLong()).isEqualTo(2);
        assertThat(contact.path("fieldDifferences").path("total").asLong())
                .as("LastName of one record; Email and SystemModstamp of the other").isEqualTo(3);
        assertThat(contact.path("orphans").path("total").asLong()).isEqualTo(2);

        LockstepProcess.Result stopped = status();
        assertThat(stopped.exit()).isEqualTo(5);
        assertThat(stopped.out()).contains("sink " + CONTACT_SINK + " is STOPPED");
    }

    @Test
    @Order(6)
    void repairResyncsThroughThePipelineAndSoftDeletesWhatSalesforceNeverHad() throws Exception {
        control.resume(CONTACT_SINK);
        CONNECT.awaitRunning(CONTACT_SINK, 1);

        LockstepProcess.Result run = reconcile("--repair", "--wait", "90s");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("Contact +rs-salesforce +(resync|stream) +\\S+ +\\d+ +1 +0")
                .containsPattern("Account +rs-salesforce +(snapshot|resync|stream) +\\S+ +\\d+ +0 +0")
                .contains("After repair").contains("Result: equal (exit 0)");

        assertThat(reconcile().exit()).as("a plain reconcile afterwards").isZero();
        assertThat(POSTGRES.query("SELECT isdeleted, _hc_lastop FROM salesforce.contact WHERE sfid ="
                + " '003000000000999AAA'")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("isdeleted", true).containsEntry("_hc_lastop",
                        "UPDATED"));
        assertThat(mirror.rows(sync.mapping("Account"))).containsKey(accounts.get(1));
        assertThat(mirror.rows(sync.mapping("Contact")).get(contacts.get(0)).get("lastname")).isEqualTo("Contact 0");
        for (Mapping m : sync.mappings()) {
            assertThat(mirror.differencesFrom(m, org.records(m.objectName()), m.fields())).isEmpty();
        }
        statusUntil(0, "--errors-since", "1s");
    }
}
