package dev.lockstep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingCheck;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.testing.Cli;
import dev.lockstep.cli.testing.EmulatedOrg;
import dev.lockstep.cli.testing.PostgresServer;
import dev.lockstep.cli.testing.TableMirror;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.auth.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep reconcile} and {@code lockstep status} run as a user runs them, in this JVM. */
class ReconcileCommandTest {

    @RegisterExtension
    static final EmulatedOrg ORG = new EmulatedOrg();

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    private static final String MAPPINGS = """
            {"version": 1, "mappings": [
              {"object_name": "Account", "config": {"access": "read_only", "fields": {"Name": {}, "Rating": {}}}}
            ]}""";

    @TempDir
    static Path dir;

    private static SalesforceClient client;
    private static Mapping account;
    private static Path properties;
    private static final List<String> ids = new ArrayList<>();

    @BeforeAll
    static void seed() throws Exception {
        client = SalesforceClient.create(SalesforceClient.Config.of(new Credentials.ClientCredentials(
                ORG.emulator().baseUri(), EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET)));
        account = MappingCheck.resolveAll(MappingFiles.parse(MAPPINGS, "m.json").file(), client.rest()::describe,
                "m.json").get(0).mapping();
        for (int i = 0; i < 5; i++) {
            ids.add(client.rest().create("Account", JsonNodeFactory.instance.objectNode().put("Name", "Account " + i)
                    .put("Rating", "Hot")));
        }
        Files.writeString(dir.resolve("mappings.json"), MAPPINGS);
        properties = ORG.salesforceProperties(dir);
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @BeforeEach
    void mirror() throws Exception {
        POSTGRES.execute("CREATE SCHEMA IF NOT EXISTS salesforce");
        try (Connection c = POSTGRES.connection()) {
            TableMirror.create(client, c, account);
        }
    }

    private static Cli reconcile(String... more) {
        List<String> args = new ArrayList<>(List.of("reconcile", "--mapping", dir.resolve("mappings.json").toString(),
                "--salesforce", properties.toString(), "--postgres", POSTGRES.jdbcUrl(), "--postgres-user",
                POSTGRES.user(), "--settle", "0"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void equalSidesExitZero() {
        Cli run = reconcile();
        assertThat(run.exit()).as("%s", run).isEqualTo(Lockstep.EXIT_OK);
        assertThat(run.out()).contains("Account  salesforce.account           5          5").contains("equal")
                .contains("Result: equal (exit 0)");
    }

    @Test
    void aDifferenceExitsFourAndNamesTheRecordAndField() throws Exception {
        POSTGRES.execute("UPDATE salesforce.account SET rating = 'Cold' WHERE sfid = '" + ids.get(3) + "'");

        Cli run = reconcile();
        assertThat(run.exit()).as("%s", run).isEqualTo(Lockstep.EXIT_ATTENTION);
        assertThat(run.out()).contains(ids.get(3) + "  Rating  rating  \"Hot\"       \"Cold\"")
                .contains("Result: 1 of 1 object(s) differ (exit 4)");

        Cli json = reconcile("--json");
        assertThat(json.exit()).isEqualTo(Lockstep.EXIT_ATTENTION);
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.path("equal").asBoolean()).isFalse();
        assertThat(report.path("objects").get(0).path("fieldDifferences").path("shown").get(0).path("id").asText())
                .isEqualTo(ids.get(3));
    }

    @Test
    void anObjectTheFileDoesNotMapIsAUsageError() {
        Cli run = reconcile("--object", "Lead");
        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_USAGE);
        assertThat(run.err()).contains("--object Lead").contains("it maps Account");
    }

    @Test
    void repairSoftDeletesARowWhoseRecordIsGoneWithoutNeedingConnect() throws Exception {
        POSTGRES.execute("INSERT INTO salesforce.account (sfid, name, isdeleted) VALUES ('001000000000999AAA',"
                + " 'Fake', false)");

        Cli run = reconcile("--repair", "--connect", "http://127.0.0.1:9");
        assertThat(run.exit()).as("%s", run).isEqualTo(Lockstep.EXIT_OK);
        assertThat(POSTGRES.column("SELECT isdeleted || ' ' || _hc_lastop FROM salesforce.account WHERE sfid ="
                + " '001000000000999AAA'")).containsExactly("true UPDATED");
        assertThat(run.out()).contains("Repair").contains("After repair").contains("Result: equal (exit 0)");
    }

    @Test
    void repairWithoutAReachableConnectFailsWithAMessageBeforeChangingAnything() throws Exception {
        POSTGRES.execute("INSERT INTO salesforce.account (sfid, name, isdeleted) VALUES ('001000000000999AAA',"
                + " 'Fake', false)",
                "UPDATE salesforce.account SET rating = 'Cold' WHERE sfid = '" + ids.get(1) + "'");

        Cli run = reconcile("--repair", "--connect", "http://127.0.0.1:9");
        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_FAILURE);
        assertThat(run.err()).contains("Kafka Connect at http://127.0.0.1:9/ did not answer");
        assertThat(POSTGRES.column("SELECT isdeleted FROM salesforce.account WHERE sfid = '001000000000999AAA'"))
                .containsExactly("f");
    }

    @Test
    void statusWithoutAReachableConnectExitsOneAndShowsWhatItCouldRead() {
        Cli run = Cli.run("status", "--mapping", dir.resolve("mappings.json").toString(), "--postgres",
                POSTGRES.jdbcUrl(), "--postgres-user", POSTGRES.user(), "--connect", "http://127.0.0.1:9");

        assertThat(run.exit()).as("%s", run).isEqualTo(Lockstep.EXIT_FAILURE);
        assertThat(run.out()).contains("Account  salesforce.account  -")
                .contains("Could not reach\n  Kafka Connect at http://127.0.0.1:9/")
                .contains("Health: unknown (exit 1)");
    }
}
