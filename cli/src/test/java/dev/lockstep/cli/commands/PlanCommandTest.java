package dev.lockstep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.cli.testing.Cli;
import dev.lockstep.cli.testing.EmulatedOrg;
import dev.lockstep.cli.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code lockstep plan} against the emulator's describes. */
class PlanCommandTest {

    @RegisterExtension
    static final EmulatedOrg ORG = new EmulatedOrg();

    @TempDir
    Path dir;

    private Cli plan(Path mapping, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("plan", "--mapping", mapping.toString(), "--salesforce",
                ORG.salesforceProperties(dir).toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void theExportLoadsAccountsFirstAndNamesTheSelfLookup() throws Exception {
        Cli run = plan(TestFiles.herokuConnectExport());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).containsSubsequence("Load order", "1  Account", "2  Contact", "Account",
                "3  Opportunity", "4  Sync_Sample__c")
                .contains("Account.ParentId → Account: the records of Account load in one snapshot")
                .contains("Contact      AccountId  Account    parent")
                .contains("Account      OwnerId    User       not mapped");
        assertThat(run.err()).contains("… reading the describe of Account (1/4)");
    }

    @Test
    void jsonGivesReferencesCyclesAndTheOrderPerTask() throws Exception {
        Path mapping = dir.resolve("cycle.json");
        Files.writeString(mapping, """
                {"version": 1, "mappings": [
                  {"object_name": "Contact", "config": {"access": "read_only", "fields": {"AccountId": {}}}},
                  {"object_name": "Account", "config": {"access": "read_only",
                   "fields": {"Primary_Contact__c": {}}}}]}""");
        Cli run = plan(mapping, "--json");

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode plan = new ObjectMapper().readTree(run.out());
        assertThat(plan.path("loadOrder").get(0).path("objects").toString()).isEqualTo("[\"Account\",\"Contact\"]");
        assertThat(plan.path("loadOrder").get(0).path("connector").asText()).isEqualTo("lockstep-salesforce");
        assertThat(plan.path("cycles").toString()).isEqualTo("[[\"Account\",\"Contact\"]]");
        assertThat(plan.path("references")).extracting(r -> r.path("object").asText() + "." + r.path("field")
                .asText() + " " + r.path("kind").asText())
                .containsExactly("Contact.AccountId parent", "Account.Primary_Contact__c cycle");
    }

    @Test
    void aCycleIsExplainedInText() throws Exception {
        Path mapping = dir.resolve("cycle.json");
        Files.writeString(mapping, """
                {"version": 1, "mappings": [
                  {"object_name": "Contact", "config": {"access": "read_only", "fields": {"AccountId": {}}}},
                  {"object_name": "Account", "config": {"access": "read_only",
                   "fields": {"Primary_Contact__c": {}}}}]}""");
        Cli run = plan(mapping);

        assertThat(run.out()).contains("Account ↔ Contact: broken at the object listed first in the mapping file")
                .contains("while loading, Account.Primary_Contact__c → Contact refers to records loaded later");
    }

    @Test
    void moreTasksSpreadTheObjectsAndSayWhatIsNotOrdered() throws Exception {
        Cli run = plan(TestFiles.herokuConnectExport(), "--tasks", "2");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("lockstep-salesforce task 1").contains("Not ordered (objects of different "
                + "tasks)").contains("Contact.AccountId → Account: both load at the same time");
    }

    @Test
    void anInvalidMappingExitsOne() throws Exception {
        Path mapping = dir.resolve("bad.json");
        Files.writeString(mapping, "{\"version\": 1, \"mappings\": [{\"object_name\": \"Account\", \"config\": "
                + "{\"access\": \"read_only\", \"fields\": {\"Nmae\": {}}}}]}");
        Cli run = plan(mapping);

        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_FAILURE);
        assertThat(run.err()).contains("mappings[0] (Account): config.fields.Nmae: Account has no field Nmae")
                .contains("did you mean Name?");
    }
}
