package dev.lockstep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.testing.Cli;
import dev.lockstep.cli.testing.EmulatedOrg;
import dev.lockstep.cli.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep import-heroku-connect}, alone and against the emulator (with its Pub/Sub API for CDC topics). */
class ImportHerokuConnectCommandTest {

    @RegisterExtension
    static final EmulatedOrg ORG = new EmulatedOrg(true);

    @TempDir
    Path dir;

    private static final String EXPORT = TestFiles.herokuConnectExport().toString();

    @Test
    void theRealisticExportNeedsAttentionAndExitsFour() {
        Cli run = Cli.run("import-heroku-connect", EXPORT);

        assertThat(run.exit()).as(run.toString()).isEqualTo(Lockstep.EXIT_ATTENTION);
        assertThat(run.out()).containsSubsequence(
                "Maps directly: the tables, columns, types and indexes Heroku Connect makes (4)",
                "✓ mappings[0] (Account): Account → salesforce.account", "Needs attention (", "! mappings[0] (Account): config.access: read_write",
                "What Lockstep does differently", "item(s) need attention (exit 4).")
                .contains("were not checked against Salesforce; give --salesforce FILE");
    }

    @Test
    void aDirectExportExitsZero() throws Exception {
        Path export = dir.resolve("direct.json");
        Files.writeString(export, """
                {"version": 1, "mappings": [{"object_name": "Contact", "config": {"access": "read_only",
                 "sf_notify_enabled": false, "sf_polling_seconds": 600, "fields": {"Id": {}, "LastName": {}}}}]}""");
        Cli run = Cli.run("import-heroku-connect", export.toString(), "--salesforce",
                ORG.salesforceProperties(dir).toString());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Needs attention (0)").contains("Everything maps directly (exit 0).")
                .doesNotContain("were not checked");
        assertThat(run.err()).contains("… checking Change Data Capture of Contact");
    }

    @Test
    void outWritesTheMappingFileLockstepWillUse() throws Exception {
        ORG.emulator().cdc().select(Set.of("Account", "Contact", "Opportunity"));
        Path out = dir.resolve("lockstep.json");
        try {
            Cli run = Cli.run("import-heroku-connect", EXPORT, "--salesforce",
                    ORG.salesforceProperties(dir).toString(), "--out", out.toString());

            assertThat(run.exit()).as(run.toString()).isEqualTo(Lockstep.EXIT_ATTENTION);
            assertThat(run.out()).contains("config.sync_mode: Change Data Capture is not enabled for Sync_Sample__c"
                    + " (no /data/Sync_Sample__ChangeEvent channel)").contains("Wrote the mapping file");
        } finally {
            ORG.emulator().cdc().select(Set.of());
        }
        MappingFiles.Parsed written = MappingFiles.read(out);
        assertThat(written.warnings()).isEmpty();
        assertThat(written.file().mappings()).extracting(Mapping::objectName, Mapping::syncMode).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Account", Mapping.SyncMode.STREAM),
                org.assertj.core.groups.Tuple.tuple("Contact", Mapping.SyncMode.STREAM),
                org.assertj.core.groups.Tuple.tuple("Opportunity", Mapping.SyncMode.STREAM),
                org.assertj.core.groups.Tuple.tuple("Sync_Sample__c", Mapping.SyncMode.POLL));
        assertThat(Files.readString(out)).contains("\"applied_at\"").contains("\"app_name\": \"acme-portal\"");
    }

    @Test
    void jsonListsTheGroupsAndTheExitCode() throws Exception {
        Cli run = Cli.run("import-heroku-connect", EXPORT, "--json");

        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_ATTENTION);
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.path("exitCode").asInt()).isEqualTo(4);
        assertThat(report.path("direct")).hasSize(4);
        assertThat(report.path("attention")).anyMatch(a -> a.path("key").asText().equals("config.access")
                && a.path("mapping").asText().equals("mappings[1] (Contact)"));
        assertThat(report.path("checkedAgainstSalesforce").asBoolean()).isFalse();
    }

    @Test
    void anInvalidExportExitsOneNamingTheMappingAndKey() throws Exception {
        Path export = dir.resolve("bad.json");
        Files.writeString(export, """
                {"version": 1, "mappings": [{"object_name": "Contact", "config": {"access": "read_write",
                 "upsert_field": "External_Id__c", "fields": {"LastName": {}}}}]}""");
        Cli run = Cli.run("import-heroku-connect", export.toString());

        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_FAILURE);
        assertThat(run.err()).contains(export + ": mappings[0] (Contact): config.upsert_field:")
                .contains("the export cannot be used as it is");
        assertThat(run.out()).isEmpty();
    }
}
