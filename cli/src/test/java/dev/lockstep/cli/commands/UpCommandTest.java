package dev.lockstep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cli.Lockstep;
import dev.lockstep.cli.up.Database;
import dev.lockstep.cli.up.LocalStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UpCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Lockstep.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private static LocalStack.Settings settings(String... args) {
        CommandLine.ParseResult parsed = Lockstep.commandLine().parseArgs(args);
        UpCommand up = parsed.subcommand().commandSpec().commandLine().getCommand();
        return up.settings();
    }

    @Test
    void withoutOptionsRunsTheDemoWithPrivatePostgresAndTheEmulatorOnPort8083() {
        LocalStack.Settings settings = settings("up");

        assertThat(settings.stateDir()).isEqualTo(Path.of(".lockstep/up"));
        assertThat(settings.connectPort()).isEqualTo(8083);
        assertThat(settings.mappingFile()).isNull();
        assertThat(settings.postgres()).isNull();
        assertThat(settings.salesforce()).isNull();
        assertThat(settings.demoRecords()).isEqualTo(1000);
    }

    @Test
    void optionsChooseStateDirectoryPortMappingAndPostgres() throws Exception {
        Path mapping = Files.writeString(dir.resolve("crm.json"), "{}");
        LocalStack.Settings settings = settings("up", "--state-dir", dir.toString(), "--connect-port", "18083",
                "--mapping", mapping.toString(), "--postgres", "jdbc:postgresql://db:5432/app", "--postgres-user",
                "sync", "--demo-records", "50");

        assertThat(settings.stateDir()).isEqualTo(dir);
        assertThat(settings.connectPort()).isEqualTo(18083);
        assertThat(settings.mappingFile()).isEqualTo(mapping);
        assertThat(settings.postgres()).isEqualTo(new Database("jdbc:postgresql://db:5432/app", "sync",
                System.getenv("LOCKSTEP_POSTGRES_PASSWORD")));
        assertThat(settings.demoRecords()).isEqualTo(50);
    }

    @Test
    void salesforceFileGivesTheConnectionKeysOfARealOrg() throws Exception {
        Path file = Files.writeString(dir.resolve("org.properties"), String.join("\n",
                "salesforce.login.url=https://acme.my.salesforce.com",
                "salesforce.auth.flow=client_credentials",
                "salesforce.client.id=abc",
                "other.key=ignored"));

        LocalStack.Settings settings = settings("up", "--salesforce", file.toString());

        assertThat(settings.salesforce()).containsEntry("salesforce.login.url", "https://acme.my.salesforce.com")
                .containsEntry("salesforce.client.id", "abc").doesNotContainKey("other.key");
        assertThat(settings.salesforceName()).isEqualTo(file.toString());
    }

    @Test
    void postgresUserWithoutPostgresIsAUsageError() {
        assertThat(run("up", "--postgres-user", "sync")).isEqualTo(2);
        assertThat(err.toString()).contains("--postgres=JDBC_URL");
    }

    @Test
    void impossibleValuesAreUsageErrors() {
        assertThat(run("up", "--connect-port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--connect-port must be a port from 1 to 65535, not 70000");
        assertThat(run("up", "--demo-records", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--demo-records must be at least 1");
        assertThat(run("up", "--mapping", dir.resolve("missing.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("missing.json: no such readable file");
    }

    @Test
    void connectPortInUseFailsWithThePortAndTheOptionToChooseAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            int status = run("up", "--state-dir", dir.resolve("state").toString(), "--connect-port",
                    Integer.toString(port));

            assertThat(status).isEqualTo(1);
            assertThat(err.toString()).contains("Port " + port + " (the Kafka Connect REST API) is in use by another "
                    + "program: stop that program, or choose another port with --connect-port N.");
            assertThat(out.toString()).contains("state directory " + dir.resolve("state"));
        }
    }
}
