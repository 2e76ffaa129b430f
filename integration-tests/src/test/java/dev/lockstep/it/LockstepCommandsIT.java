package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.LockstepProcess;
import dev.lockstep.it.harness.PostgresExtension;
import dev.lockstep.it.harness.SalesforceOrg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code lockstep} commands as a user runs them: each a separate JVM on the built command line
 * ({@link LockstepProcess}), against the emulator (REST and Pub/Sub), a real Postgres and a Connect cluster running
 * the plugin archive and the Debezium JDBC sink. Checks exit codes, what the commands print, and what they do to
 * Postgres and Connect: a dry run changes nothing, a deployment syncs a record created in Salesforce into Postgres,
 * and deploying again changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LockstepCommandsIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension();

    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String MAPPING = """
            {"version": 1, "mappings": [
              {"object_name": "Account", "config": {"access": "read_only",
               "fields": {"Name": {}, "ParentId": {}, "CreatedDate": {}}, "indexes": {"Name": {"unique": false}}}},
              {"object_name": "Contact", "config": {"access": "read_only",
               "fields": {"FirstName": {}, "LastName": {}, "AccountId": {}}}}
            ]}""";
    private static final List<String> CONNECTORS = List.of("it-postgres-salesforce-account",
            "it-postgres-salesforce-contact", "it-salesforce");

    @TempDir
    static Path dir;

    private static SalesforceOrg org;
    private static LockstepProcess lockstep;
    private static Path mapping;
    private static Path salesforceProperties;

    @BeforeAll
    static void files() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        mapping = write("crm.json", MAPPING);
        salesforceProperties = write("salesforce.properties", String.join("\n",
                "salesforce.login.url=" + SALESFORCE.emulator().baseUri(),
                "salesforce.auth.flow=client_credentials",
                "salesforce.client.id=" + EmulatorConfig.DEFAULT_CLIENT_ID,
                "salesforce.client.secret=" + EmulatorConfig.DEFAULT_CLIENT_SECRET,
                "salesforce.pubsub.endpoint=" + SALESFORCE.emulator().pubsub().target(),
                "salesforce.pubsub.plaintext=true", ""));
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

    private static LockstepProcess.Result deploy(Path mappingFile, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("deploy", "--mapping", mappingFile.toString(),
                "--salesforce", salesforceProperties.toString(),
                "--postgres", POSTGRES.jdbcUrl(), "--postgres-user", POSTGRES.placeholders().get("POSTGRES_USER"),
                "--connect", CONNECT.workerUrls().get(0).toString(), "--name", "it"));
        args.addAll(List.of(more));
        return lockstep.run(args.toArray(String[]::new));
    }

    private static List<Object> tables() throws Exception {
        return POSTGRES.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'salesforce'"
                + " ORDER BY table_name").stream().map(row -> row.get("table_name")).toList();
    }

    private static List<String> connectors() {
        List<String> names = new ArrayList<>();
        CONNECT.rest("connectors").forEach(n -> names.add(n.asText()));
        return names;
    }

    @Test
    @Order(1)
    void dryRunPrintsTheDdlAndMaskedConnectorsAndChangesNothing() throws Exception {
        LockstepProcess.Result run = deploy(mapping, "--dry-run");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("CREATE TABLE salesforce.account (")
                .contains("CREATE INDEX hc_idx_account_name ON salesforce.account (name)")
                .contains("\"salesforce.client.secret\" : \"********\"")
                .contains("\"connector.class\" : \"io.debezium.connector.jdbc.JdbcSinkConnector\"")
                .contains("would be created")
                .contains("Dry run: nothing was changed.")
                .doesNotContain(EmulatorConfig.DEFAULT_CLIENT_SECRET);
        if (!POSTGRES.placeholders().get("POSTGRES_PASSWORD").isEmpty()) {
            assertThat(run.out()).contains("\"connection.password\" : \"********\"")
                    .doesNotContain(POSTGRES.placeholders().get("POSTGRES_PASSWORD"));
        }
        assertThat(run.err()).contains("… validating it-salesforce with Kafka Connect");
        assertThat(tables()).isEmpty();
        assertThat(connectors()).isEmpty();
    }

    @Test
    @Order(2)
    void deployCreatesTablesAndConnectorsAndARecordCreatedInSalesforceReachesPostgres() throws Exception {
        LockstepProcess.Result run = deploy(mapping);

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("+ create table salesforce.account")
                .contains("Deployed: ").contains("3 connector(s) created, 0 updated, 0 unchanged");
        assertThat(tables()).containsExactly("account", "contact");
        assertThat(connectors()).containsExactlyInAnyOrderElementsOf(CONNECTORS);
        for (String connector : CONNECTORS) {
            CONNECT.awaitRunning(connector, 1);
        }

        String id = org.create("Account", Map.of("Name", "Créée par lockstep deploy ☕"));
        List<Map<String, Object>> rows = Eventually.until("the new account in salesforce.account", BOUND,
                () -> POSTGRES.query("SELECT name, _hc_lastop FROM salesforce.account WHERE sfid = '" + id + "'"),
                r -> !r.isEmpty());
        assertThat(rows.get(0).get("name")).isEqualTo("Créée par lockstep deploy ☕");
    }

    @Test
    @Order(3)
    void deployingAgainChangesNothing() throws Exception {
        LockstepProcess.Result run = deploy(mapping);

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("unchanged: nothing to change")
                .contains("Deployed: 0 schema change(s) applied, 0 connector(s) created, 0 updated, 3 unchanged.");
        for (String connector : CONNECTORS) {
            assertThat(run.out()).containsPattern(connector + " .* unchanged\\n");
        }
    }

    @Test
    @Order(4)
    void aBadMappingExitsOneNamingTheMappingAndTheKey() throws Exception {
        Path bad = write("bad.json", """
                {"version": 1, "mappings": [
                  {"object_name": "Contact", "config": {"access": "read_only", "fields": {"LastName": {}},
                   "indexes": {"Email": {"unique": false}}}}]}""");
        LockstepProcess.Result run = deploy(bad);

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.err()).contains(bad + ": mappings[0] (Contact): config.indexes.Email:")
                .contains("nothing was deployed");
        assertThat(connectors()).containsExactlyInAnyOrderElementsOf(CONNECTORS);
    }

    @Test
    @Order(5)
    void planLoadsAccountsBeforeContactsAndNamesTheSelfLookup() throws Exception {
        LockstepProcess.Result run = lockstep.run("plan", "--mapping", mapping.toString(), "--salesforce",
                salesforceProperties.toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).containsSubsequence("Load order", "1  Account", "2  Contact")
                .contains("Account.ParentId → Account: the records of Account load in one snapshot");
    }

    @Test
    @Order(6)
    void importOfTheHerokuConnectExportListsWhatNeedsAttentionAndExitsFour() throws Exception {
        Path export = Paths.get(System.getProperty("lockstep.cli.dir", "../cli/target")).getParent()
                .resolve("src/test/resources/mappings/heroku-connect-export.json");
        Path out = dir.resolve("lockstep-mapping.json");
        LockstepProcess.Result run = lockstep.run("import-heroku-connect", export.toString(), "--salesforce",
                salesforceProperties.toString(), "--out", out.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(4);
        assertThat(run.out()).contains("Maps directly: the tables, columns, types and indexes Heroku Connect makes (4)")
                .contains("! mappings[0] (Account): config.access: read_write, but this release of Lockstep does not "
                        + "write to Salesforce yet")
                .contains("! mappings[0] (Account): config.sf_notify_enabled: true")
                .contains("! mappings[2] (Opportunity): config.sf_polling_seconds: 1800 s is not used")
                .contains("item(s) need attention (exit 4).")
                .doesNotContain("could not check whether Change Data Capture");
        assertThat(Files.readString(out)).contains("\"object_name\": \"Sync_Sample__c\"");
    }
}
