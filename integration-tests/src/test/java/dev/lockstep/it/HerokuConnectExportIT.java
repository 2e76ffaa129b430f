package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.demo.DemoData;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.PostgresExtension;
import dev.lockstep.it.harness.PostgresMirror;
import dev.lockstep.it.harness.PostgresSync;
import dev.lockstep.it.harness.SalesforceOrg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Heroku Connect export file, as Heroku Connect writes it (four mappings: Account, Contact, Opportunity and the
 * custom object, read-only and read-write, indexes, upsert fields), drives a sync of 10,000 records with parents and
 * children into the {@code salesforce} schema, with every default: streaming, partial updates, soft deletes. Then
 * creates, updates, deletes and an undelete while streaming, and a restart of the Connect worker with changes made
 * while it is down. After each step the checks a user migrating from Heroku Connect would run hold: live rows per
 * table equal the org's records, no duplicate {@code sfid}, no child row whose parent row is missing, every mapped
 * field equal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HerokuConnectExportIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0)
            .withDailyApiLimit(Long.MAX_VALUE));

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC")
            .workerProperty("scheduled.rebalance.max.delay.ms", "2000");

    /** The hand-written export, shared with the mapping-file tests of the command line. */
    static final Path EXPORT = Path.of("../cli/src/test/resources/mappings/heroku-connect-export.json");
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final Map<String, Integer> SEED = Map.of("Account", 2_000, "Contact", 5_000, "Opportunity", 2_500,
            "Sync_Sample__c", 500);

    private static SalesforceOrg org;
    private static PostgresSync sync;
    private static PostgresMirror mirror;

    @BeforeAll
    static void seedAndDeploy() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        mirror = new PostgresMirror(POSTGRES);
        DemoData.generate(SALESFORCE.emulator().org(), SEED, 11L);
        sync = PostgresSync.deploy("hc", Files.readString(EXPORT, StandardCharsets.UTF_8), org, POSTGRES, CONNECT,
                Map.of());
    }

    @AfterAll
    static void close() {
        if (org != null) {
            org.close();
        }
    }

    /** Waits until every table matches the org, then runs the migration checks. */
    private static void awaitEveryTableMatchesTheOrg(String when) throws Exception {
        for (Mapping mapping : sync.mappings()) {
            Eventually.until(mapping.qualifiedTable() + " to match Salesforce " + when, BOUND,
                    () -> mirror.differencesFrom(mapping, org.records(mapping.objectName()), mapping.fields()),
                    List::isEmpty);
        }
        for (Mapping mapping : sync.mappings()) {
            assertThat(mirror.liveRows(mapping)).as("live rows of %s %s", mapping.qualifiedTable(), when)
                    .isEqualTo(org.records(mapping.objectName()).size());
            assertThat(mirror.duplicateSfids(mapping)).as("duplicate sfids in %s", mapping.qualifiedTable())
                    .isEmpty();
        }
        Mapping account = sync.mapping("Account");
        assertThat(mirror.orphans(sync.mapping("Contact"), "AccountId", account)).as("contacts without account row")
                .isEmpty();
        assertThat(mirror.orphans(sync.mapping("Opportunity"), "AccountId", account))
                .as("opportunities without account row").isEmpty();
        assertThat(mirror.orphans(account, "ParentId", account)).as("accounts without parent row").isEmpty();
    }

    @Test
    @Order(1)
    void exportDrivesTheInitialLoadOfTenThousandRecords() throws Exception {
        awaitEveryTableMatchesTheOrg("after the initial load");

        assertThat(SEED.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
        assertThat(mirror.liveRows(sync.mapping("Contact"))).isEqualTo(5_000);
        assertThat(POSTGRES.query("SELECT count(*) AS n FROM salesforce.contact WHERE accountid IS NOT NULL").get(0)
                .get("n")).as("contacts with a parent account").isNotEqualTo(0L);
        // The user's own query, exactly as the migration guide gives it.
        assertThat(POSTGRES.query("SELECT c.sfid FROM salesforce.contact c LEFT JOIN salesforce.account a"
                + " ON c.accountid = a.sfid WHERE c.accountid IS NOT NULL AND a.sfid IS NULL")).isEmpty();
        assertThat(POSTGRES.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'salesforce'"
                + " AND tablename = 'contact' ORDER BY indexname")).extracting(row -> row.get("indexname"))
                .containsExactly("contact_pkey", "hc_idx_contact_accountid", "hc_idx_contact_email",
                        "hc_idx_contact_systemmodstamp", "hcu_idx_contact_external_id__c", "hcu_idx_contact_sfid");
    }

    @Test
    @Order(2)
    void createsAndPartialUpdatesLeaveUnchangedColumnsUntouched() throws Exception {
        String account = org.create("Account", Map.of("Name", "Nouveau Compte ✓", "Industry", "Energy",
                "BillingCity", "Zürich"));
        String contact = org.create("Contact", Map.of("LastName", "Łukasiewicz", "FirstName", "Jan",
                "Email", "jan@example.com", "Title", "Engineer", "AccountId", account));
        awaitEveryTableMatchesTheOrg("after creates");
        Map<String, Object> created = mirror.rows(sync.mapping("Contact")).get(contact);
        assertThat(created.get("_hc_lastop")).isEqualTo("INSERTED");
        assertThat(created.get("isdeleted")).isEqualTo(false);

        org.update("Contact", contact, Map.of("Title", "Chief Engineer"));
        Map<String, Object> nulling = new HashMap<>();
        nulling.put("BillingCity", null);
        org.update("Account", account, nulling);
        awaitEveryTableMatchesTheOrg("after partial updates");

        Map<String, Object> updated = mirror.rows(sync.mapping("Contact")).get(contact);
        assertThat(updated.get("title")).isEqualTo("Chief Engineer");
        assertThat(updated.get("email")).as("a column the update did not touch").isEqualTo("jan@example.com");
        assertThat(updated.get("_hc_lastop")).isEqualTo("UPDATED");
        assertThat(((java.time.Instant) updated.get("systemmodstamp")))
                .as("systemmodstamp follows the change's commit time")
                .isAfter((java.time.Instant) created.get("systemmodstamp"));
        Map<String, Object> nulled = mirror.rows(sync.mapping("Account")).get(account);
        assertThat(nulled.get("billingcity")).isNull();
        assertThat(nulled.get("industry")).isEqualTo("Energy");
    }

    @Test
    @Order(3)
    void deletesAreSoftAndAnUndeleteRestoresTheRow() throws Exception {
        List<String> contacts = new ArrayList<>(org.records("Contact").keySet());
        String deleted = contacts.get(7);
        String restored = contacts.get(8);
        org.delete("Contact", deleted);
        org.delete("Contact", restored);
        awaitEveryTableMatchesTheOrg("after deletes");

        Map<String, Map<String, Object>> rows = mirror.rows(sync.mapping("Contact"));
        assertThat(rows.get(deleted).get("isdeleted")).as("Heroku Connect keeps deleted rows").isEqualTo(true);
        assertThat(rows.get(deleted).get("lastname")).as("the soft-deleted row keeps its values").isNotNull();

        org.undelete(restored);
        awaitEveryTableMatchesTheOrg("after an undelete");
        assertThat(mirror.rows(sync.mapping("Contact")).get(restored).get("isdeleted")).isEqualTo(false);
    }

    @Test
    @Order(4)
    void aWorkerRestartLosesNothingChangedWhileItWasDown() throws Exception {
        WorkerHandle worker = CONNECT.cluster().workers().iterator().next();
        CONNECT.cluster().removeWorker(worker);

        List<String> accounts = new ArrayList<>(org.records("Account").keySet());
        org.update("Account", accounts.get(0), Map.of("Name", "Renamed while the worker was down"));
        String created = org.create("Opportunity", Map.of("Name", "Deal while down", "StageName", "Prospecting",
                "CloseDate", "2027-03-31", "AccountId", accounts.get(1)));
        org.delete("Contact", new ArrayList<>(org.records("Contact").keySet()).get(20));

        CONNECT.cluster().addWorker();
        for (String connector : sync.connectors()) {
            CONNECT.awaitRunning(connector, 1);
        }
        awaitEveryTableMatchesTheOrg("after the worker restarted");
        assertThat(mirror.rows(sync.mapping("Opportunity"))).containsKey(created);
    }
}
