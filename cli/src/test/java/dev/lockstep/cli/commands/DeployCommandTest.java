package dev.lockstep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.cli.connect.ConnectorSecrets;
import dev.lockstep.cli.testing.Cli;
import dev.lockstep.cli.testing.EmulatedOrg;
import dev.lockstep.cli.testing.FakeConnect;
import dev.lockstep.cli.testing.PostgresServer;
import dev.lockstep.emulator.EmulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep deploy} against the emulator's describes, a real Postgres and a stand-in for the Connect REST API.
 * Each test deploys into a schema of its own.
 */
class DeployCommandTest {

    @RegisterExtension
    static final EmulatedOrg ORG = new EmulatedOrg();

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    @RegisterExtension
    static final FakeConnect CONNECT = new FakeConnect();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void forgetConnectors() {
        CONNECT.reset();
    }

    private Path mapping(String schema) throws Exception {
        Path file = dir.resolve(schema + ".json");
        Files.writeString(file, """
                {"version": 1, "mappings": [
                  {"object_name": "Account", "config": {"access": "read_only", "schema": "%1$s",
                   "fields": {"Name": {}, "ParentId": {}}}},
                  {"object_name": "Contact", "config": {"access": "read_only", "schema": "%1$s",
                   "fields": {"LastName": {}, "AccountId": {}}, "indexes": {"AccountId": {"unique": false}}}}
                ]}""".formatted(schema));
        return file;
    }

    private Cli deploy(Path mapping, String name, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("deploy", "--mapping", mapping.toString(),
                "--salesforce", ORG.salesforceProperties(dir).toString(), "--postgres", POSTGRES.jdbcUrl(),
                "--postgres-user", POSTGRES.user(), "--connect", CONNECT.url(), "--name", name));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private List<String> tables(String schema) throws Exception {
        return POSTGRES.column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema
                + "' ORDER BY table_name");
    }

    @Test
    void dryRunPrintsTheDdlAndMaskedConnectorsAndChangesNothing() throws Exception {
        Cli run = deploy(mapping("dry"), "dry", "--dry-run");

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("CREATE TABLE dry.account (").contains("CREATE SCHEMA IF NOT EXISTS dry")
                .contains("CREATE INDEX hc_idx_contact_accountid ON dry.contact (accountid)")
                .contains("\"salesforce.client.secret\" : \"" + ConnectorSecrets.MASK + "\"")
                .doesNotContain(EmulatorConfig.DEFAULT_CLIENT_SECRET)
                .contains("dry-postgres-dry-account").contains("would be created")
                .contains("Dry run: nothing was changed.");
        assertThat(tables("dry")).isEmpty();
        assertThat(CONNECT.changes()).isEmpty();
        assertThat(CONNECT.requests("PUT /connector-plugins/")).as("validated").hasSize(3);
    }

    @Test
    void deployCreatesTablesAndConnectorsAndASecondRunChangesNothing() throws Exception {
        Path mapping = mapping("live");
        Cli first = deploy(mapping, "live");

        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(tables("live")).containsExactly("account", "contact");
        assertThat(CONNECT.connectors()).containsExactlyInAnyOrder("live-postgres-live-account",
                "live-postgres-live-contact", "live-salesforce");
        assertThat(CONNECT.config("live-salesforce")).containsEntry("object.include.list", "Account,Contact")
                .containsEntry("topic.prefix", "live")
                .containsEntry("topic.creation.default.replication.factor", "-1")
                .containsEntry("salesforce.client.secret", EmulatorConfig.DEFAULT_CLIENT_SECRET);
        assertThat(first.out()).contains("+ create table live.account").contains("created")
                .contains("Deployed: ").contains("3 connector(s) created");
        assertThat(first.err()).contains("… reading the describe of Account (1/2)")
                .contains("… validating live-salesforce");

        CONNECT.clearRequests();
        Cli second = deploy(mapping, "live");
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(second.out()).contains("unchanged: nothing to change")
                .contains("! info mappings[0] (Account): Salesforce fields ")
                .contains("(information shortened; --json shows it in full)")
                .contains("0 schema change(s) applied, 0 connector(s) created, 0 updated, 3 unchanged")
                .doesNotContain("created  ");
        assertThat(CONNECT.changes()).isEmpty();
    }

    @Test
    void aChangedOptionUpdatesOnlyTheConnectorsItConcerns() throws Exception {
        Path mapping = mapping("upd");
        assertThat(deploy(mapping, "upd").exit()).isZero();

        Cli run = deploy(mapping, "upd", "--tasks", "2", "--json");
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode result = JSON.readTree(run.out());
        assertThat(result.path("deployed").asBoolean()).isTrue();
        assertThat(result.path("connectors")).extracting(c -> c.path("name").asText() + "=" + c.path("outcome")
                .asText()).containsExactly("upd-postgres-upd-account=unchanged", "upd-postgres-upd-contact=unchanged",
                "upd-salesforce=updated");
        assertThat(CONNECT.config("upd-salesforce")).containsEntry("tasks.max", "2");
    }

    @Test
    void anInvalidMappingExitsOneNamingTheMappingAndKeyAndChangesNothing() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, """
                {"version": 1, "mappings": [
                  {"object_name": "Account", "config": {"access": "readonly", "fields": {"Name": {}}}}]}""");
        Cli run = deploy(bad, "bad");

        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_FAILURE);
        assertThat(run.err()).contains(bad + ": mappings[0] (Account): config.access: \"readonly\" is not an access"
                + " mode").contains("1 problem; nothing was deployed");
        assertThat(CONNECT.requests()).isEmpty();
    }

    @Test
    void aFieldSalesforceDoesNotHaveIsAMappingProblem() throws Exception {
        Path bad = dir.resolve("typo.json");
        Files.writeString(bad, """
                {"version": 1, "mappings": [
                  {"object_name": "Account", "config": {"access": "read_only", "fields": {"Nmae": {}}}},
                  {"object_name": "Acount", "config": {"access": "read_only", "fields": {"Name": {}}}}]}""");
        Cli run = deploy(bad, "typo");

        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_FAILURE);
        assertThat(run.err()).contains("mappings[1] (Acount): object_name: Salesforce has no object Acount");
        assertThat(CONNECT.requests()).isEmpty();
    }

    @Test
    void aConfigurationConnectRefusesIsReportedPerKeyAndNothingChanges() throws Exception {
        CONNECT.refuse("refused-salesforce", "salesforce.client.id", "Salesforce refused the client id");
        Cli run = deploy(mapping("refused"), "refused");

        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_FAILURE);
        assertThat(run.out()).contains("refused-salesforce: salesforce.client.id: Salesforce refused the client id")
                .contains("Not deployed: nothing was changed.");
        assertThat(tables("refused")).isEmpty();
        assertThat(CONNECT.changes()).isEmpty();
    }

    @Test
    void schemaErrorsStopTheDeploymentBeforeAnythingChanges() throws Exception {
        // A table without a unique sfid: the sync could not upsert into it.
        POSTGRES.execute("CREATE SCHEMA broken", "CREATE TABLE broken.account (sfid varchar(18), name varchar(255))");
        Cli run = deploy(mapping("broken"), "broken");

        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_FAILURE);
        assertThat(run.out()).contains("! error mappings[0] (Account)").contains("Not deployed: nothing was changed.");
        assertThat(tables("broken")).containsExactly("account");
        assertThat(CONNECT.changes()).isEmpty();
    }

    @Test
    void connectNotAnsweringFailsClearlyBeforeAnythingChanges() throws Exception {
        List<String> args = new ArrayList<>(List.of("deploy", "--mapping", mapping("down").toString(),
                "--salesforce", ORG.salesforceProperties(dir).toString(), "--postgres", POSTGRES.jdbcUrl(),
                "--postgres-user", POSTGRES.user(), "--connect", "http://127.0.0.1:9", "--name", "down"));
        Cli run = Cli.run(args.toArray(String[]::new));

        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_FAILURE);
        assertThat(run.err()).contains("Kafka Connect at http://127.0.0.1:9/ did not answer")
                .contains("is the worker running and is the URL right?").contains("Nothing was changed.");
        assertThat(tables("down")).isEmpty();
    }

    @Test
    void aDryRunWithoutConnectStillShowsThePlan() throws Exception {
        List<String> args = new ArrayList<>(List.of("deploy", "--mapping", mapping("offline").toString(),
                "--salesforce", ORG.salesforceProperties(dir).toString(), "--postgres", POSTGRES.jdbcUrl(),
                "--postgres-user", POSTGRES.user(), "--connect", "http://127.0.0.1:9", "--dry-run"));
        Cli run = Cli.run(args.toArray(String[]::new));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.err()).contains("warning: Kafka Connect at http://127.0.0.1:9/ did not answer");
        assertThat(run.out()).contains("CREATE TABLE offline.account").contains("unknown");
    }

    @Test
    void badOptionValuesAreUsageErrors() throws Exception {
        assertThat(deploy(mapping("opts"), "no spaces").exit()).isEqualTo(Lockstep.EXIT_USAGE);
        Cli run = deploy(mapping("opts"), "opts", "--replication-factor", "0");
        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_USAGE);
        assertThat(run.err()).contains("--replication-factor 0: give 1 or more, or -1");
    }
}
