package dev.lockstep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingCheck;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.testing.EmulatedOrg;
import dev.lockstep.cli.testing.PostgresServer;
import dev.lockstep.cli.testing.TableMirror;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.auth.Credentials;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import picocli.CommandLine;

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
    private static String jdbcUrl;
    private static final List<String> ids = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

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
        Files.writeString(dir.resolve("salesforce.properties"), String.join("\n",
                "salesforce.login.url=" + ORG.emulator().baseUri(),
                "salesforce.auth.flow=client_credentials",
                "salesforce.client.id=" + EmulatorConfig.DEFAULT_CLIENT_ID,
                "salesforce.client.secret=" + EmulatorConfig.DEFAULT_CLIENT_SECRET, ""));
        try (Connection c = POSTGRES.connection()) {
            jdbcUrl = c.getMetaData().getURL();
        }
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

    private int run(String... args) {
        CommandLine cli = Lockstep.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private int reconcile(String... more) {
        List<String> args = new ArrayList<>(List.of("reconcile", "--mapping", dir.resolve("mappings.json").toString(),
                "--salesforce", dir.resolve("salesforce.properties").toString(), "--postgres", jdbcUrl,
                "--settle", "0"));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void equalSidesExitZero() {
        assertThat(reconcile()).as(err.toString()).isEqualTo(Lockstep.EXIT_OK);
        assertThat(out.toString()).contains("Account  salesforce.account           5          5").contains("equal")
                .contains("Result: equal (exit 0)");
    }

    @Test
    void aDifferenceExitsFourAndNamesTheRecordAndField() throws Exception {
        POSTGRES.execute("UPDATE salesforce.account SET rating = 'Cold' WHERE sfid = '" + ids.get(3) + "'");

        assertThat(reconcile()).isEqualTo(Lockstep.EXIT_ATTENTION);
        assertThat(out.toString()).contains(ids.get(3) + "  Rating  rating  \"Hot\"       \"Cold\"")
                .contains("Result: 1 of 1 object(s) differ (exit 4)");

        out.getBuffer().setLength(0);
        assertThat(reconcile("--json")).isEqualTo(Lockstep.EXIT_ATTENTION);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.path("equal").asBoolean()).isFalse();
        assertThat(json.path("objects").get(0).path("field_differences").path("shown").get(0).path("id").asText())
                .isEqualTo(ids.get(3));
    }

    @Test
    void anObjectTheFileDoesNotMapIsAUsageError() {
        assertThat(reconcile("--object", "Lead")).isEqualTo(Lockstep.EXIT_USAGE);
        assertThat(err.toString()).contains("--object Lead").contains("it maps Account");
    }

    @Test
    void repairSoftDeletesARowWhoseRecordIsGoneWithoutNeedingConnect() throws Exception {
        POSTGRES.execute("INSERT INTO salesforce.account (sfid, name, isdeleted) VALUES ('001000000000999AAA',"
                + " 'Fake', false)");

        assertThat(reconcile("--repair", "--connect", "http://127.0.0.1:9")).as(err.toString())
                .isEqualTo(Lockstep.EXIT_OK);
        assertThat(POSTGRES.column("SELECT isdeleted || ' ' || _hc_lastop FROM salesforce.account WHERE sfid ="
                + " '001000000000999AAA'")).containsExactly("true UPDATED");
        assertThat(out.toString()).contains("Repair").contains("After repair").contains("Result: equal (exit 0)");
    }

    @Test
    void repairWithoutAReachableConnectFailsWithAMessageBeforeChangingAnything() throws Exception {
        POSTGRES.execute("INSERT INTO salesforce.account (sfid, name, isdeleted) VALUES ('001000000000999AAA',"
                + " 'Fake', false)",
                "UPDATE salesforce.account SET rating = 'Cold' WHERE sfid = '" + ids.get(1) + "'");

        assertThat(reconcile("--repair", "--connect", "http://127.0.0.1:9")).isEqualTo(Lockstep.EXIT_FAILURE);
        assertThat(err.toString()).contains("Kafka Connect at http://127.0.0.1:9/ did not answer");
        assertThat(POSTGRES.column("SELECT isdeleted FROM salesforce.account WHERE sfid = '001000000000999AAA'"))
                .containsExactly("f");
    }

    @Test
    void statusWithoutAReachableConnectExitsOneAndShowsWhatItCouldRead() {
        int code = run("status", "--mapping", dir.resolve("mappings.json").toString(), "--postgres", jdbcUrl,
                "--connect", "http://127.0.0.1:9");

        assertThat(code).isEqualTo(Lockstep.EXIT_FAILURE);
        assertThat(out.toString()).contains("Account  salesforce.account  -")
                .contains("Could not reach\n  Kafka Connect at http://127.0.0.1:9/")
                .contains("Health: unknown (exit 1)");
    }
}
