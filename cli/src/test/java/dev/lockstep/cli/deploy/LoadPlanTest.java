package dev.lockstep.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.cli.deploy.LoadPlan.Kind;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingCheck;
import dev.lockstep.cli.mapping.MappingFile;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.testing.EmulatedOrg;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Load plans of mappings resolved against the emulator's describes (Account, Contact, Opportunity). */
class LoadPlanTest {

    @RegisterExtension
    static final EmulatedOrg ORG = new EmulatedOrg();

    private static LoadPlan plan(int tasks, String mappings) throws Exception {
        MappingFile file = MappingFiles.parse("{\"version\": 1, \"mappings\": [" + mappings + "]}", "t.json").file();
        Map<String, JsonNode> describes = new LinkedHashMap<>();
        file.mappings().forEach(m -> describes.put(m.objectName(), ORG.describe(m.objectName())));
        List<Mapping> resolved = MappingCheck.resolveAll(file, describes::get, "t.json").stream()
                .map(MappingCheck.Resolved::mapping).toList();
        return LoadPlan.of(resolved, describes, "crm-salesforce", tasks);
    }

    private static String mapping(String object, String... fields) {
        StringBuilder list = new StringBuilder();
        for (String field : fields) {
            list.append(list.length() == 0 ? "" : ", ").append('"').append(field).append("\": {}");
        }
        return "{\"object_name\": \"" + object + "\", \"config\": {\"access\": \"read_only\", \"fields\": {" + list
                + "}}}";
    }

    private static List<String> kinds(LoadPlan plan) {
        return plan.references().stream().map(r -> r + " " + r.kind().value()).toList();
    }

    @Test
    void parentsLoadFirstAndSelfLookupsAndUnmappedTargetsAreNamed() throws Exception {
        LoadPlan plan = plan(1, mapping("Contact", "LastName", "AccountId", "OwnerId") + ","
                + mapping("Opportunity", "Name", "AccountId") + "," + mapping("Account", "Name", "ParentId"));

        assertThat(plan.tasks()).containsExactly(new LoadPlan.Task("crm-salesforce", 0,
                List.of("Account", "Contact", "Opportunity")));
        assertThat(kinds(plan)).containsExactly("Contact.AccountId → Account parent",
                "Contact.OwnerId → User unmapped", "Opportunity.AccountId → Account parent",
                "Account.ParentId → Account self");
        assertThat(plan.cycles()).isEmpty();
    }

    @Test
    void referenceFieldsThatAreNotMappedOrderNothing() throws Exception {
        LoadPlan plan = plan(1, mapping("Contact", "LastName") + "," + mapping("Account", "Name"));
        assertThat(plan.tasks().get(0).order()).containsExactly("Contact", "Account");
        assertThat(plan.references()).isEmpty();
    }

    @Test
    void aCycleIsBrokenAtTheFirstListedObjectAndTheIgnoredReferenceNamed() throws Exception {
        // Account.Primary_Contact__c → Contact and Contact.AccountId → Account.
        LoadPlan plan = plan(1, mapping("Contact", "LastName", "AccountId") + ","
                + mapping("Account", "Name", "Primary_Contact__c"));

        assertThat(plan.tasks().get(0).order()).containsExactly("Account", "Contact");
        assertThat(plan.cycles()).containsExactly(List.of("Account", "Contact"));
        assertThat(plan.references(Kind.CYCLE)).extracting(Object::toString)
                .containsExactly("Account.Primary_Contact__c → Contact");
        assertThat(plan.references(Kind.PARENT)).extracting(Object::toString)
                .containsExactly("Contact.AccountId → Account");
    }

    @Test
    void objectsOfDifferentTasksAreNotOrdered() throws Exception {
        LoadPlan plan = plan(2, mapping("Account", "Name") + "," + mapping("Contact", "LastName", "AccountId"));

        assertThat(plan.tasks()).extracting(LoadPlan.Task::order).containsExactly(List.of("Account"),
                List.of("Contact"));
        assertThat(kinds(plan)).containsExactly("Contact.AccountId → Account unordered");
    }

    @Test
    void mappingsOfBothUpdateModesMakeTwoSourceConnectors() throws Exception {
        LoadPlan plan = plan(1, mapping("Account", "Name") + ","
                + "{\"object_name\": \"Contact\", \"config\": {\"access\": \"read_only\", \"update_mode\": \"full\","
                + " \"fields\": {\"AccountId\": {}}}}");

        assertThat(plan.tasks()).extracting(LoadPlan.Task::connector).containsExactly("crm-salesforce-partial",
                "crm-salesforce-full");
        assertThat(kinds(plan)).containsExactly("Contact.AccountId → Account unordered");
    }
}
