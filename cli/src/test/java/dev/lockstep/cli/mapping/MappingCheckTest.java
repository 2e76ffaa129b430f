package dev.lockstep.cli.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.cli.testing.EmulatedOrg;
import dev.lockstep.cli.testing.TestFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Mappings checked against real describes, read from the emulator through the client. */
class MappingCheckTest {

    @RegisterExtension
    static final EmulatedOrg ORG = new EmulatedOrg();

    private static Mapping mapping(String object, String config) throws MappingException {
        String json = "{\"version\": 1, \"mappings\": [{\"object_name\": \"" + object + "\", \"config\": {" + config
                + "}}]}";
        return MappingFiles.parse(json, "test.json").file().mappings().get(0);
    }

    private static MappingCheck.Resolved resolve(String object, String config) throws MappingException {
        return MappingCheck.resolve(mapping(object, config), ORG.describe(object));
    }

    private static List<String> problems(String object, String config) throws MappingException {
        Mapping mapping = mapping(object, config);
        MappingException e = catchThrowableOfType(MappingException.class,
                () -> MappingCheck.resolve(mapping, ORG.describe(object)));
        assertThat(e).as("problems expected").isNotNull();
        return e.problems();
    }

    @Test
    void fieldNamesInAnotherCaseAreSpeltAsSalesforceSpellsThem() throws Exception {
        MappingCheck.Resolved resolved = resolve("account", """
                "access": "read_write", "fields": {"name": {}, "EXTERNAL_ID__C": {}},
                "indexes": {"external_id__c": {"unique": true}}, "upsert_field": "External_id__c",
                "column_names": {"NAME": "account_name"}""");
        Mapping mapping = resolved.mapping();

        assertThat(mapping.objectName()).isEqualTo("Account");
        assertThat(mapping.fields()).containsExactly("Id", "IsDeleted", "SystemModstamp", "Name", "External_Id__c");
        assertThat(mapping.indexes()).containsExactly(Map.entry("External_Id__c", true));
        assertThat(mapping.upsertField()).isEqualTo("External_Id__c");
        assertThat(mapping.columnNames()).containsExactly(Map.entry("Name", "account_name"));
        assertThat(mapping.table()).isEqualTo("account");
        assertThat(resolved.warnings()).isEmpty();
        assertThat(resolved.unmappedFields()).contains("Phone", "Website").doesNotContain("Name", "BillingAddress");
    }

    @Test
    void anUnknownFieldIsReportedWithTheClosestName() throws Exception {
        assertThat(problems("Account", "\"access\": \"read_only\", \"fields\": {\"Nmae\": {}, \"Foo__c\": {}}"))
                .containsExactly(
                        "mappings[0] (Account): config.fields.Nmae: Account has no field Nmae (or the integration"
                                + " user cannot see it); did you mean Name?",
                        "mappings[0] (Account): config.fields.Foo__c: Account has no field Foo__c (or the"
                                + " integration user cannot see it); check the API name in Setup (Object Manager >"
                                + " Account > Fields & Relationships)");
    }

    @Test
    void upsertFieldMustBeAnExternalIdField() throws Exception {
        assertThat(problems("Account", """
                "access": "read_write", "fields": {"AccountNumber": {}},
                "indexes": {"AccountNumber": {"unique": true}}, "upsert_field": "AccountNumber\""""))
                .containsExactly("mappings[0] (Account): config.upsert_field: Account.AccountNumber is not an"
                        + " External ID field; name an External ID field (External_Id__c) or mark AccountNumber"
                        + " External ID in Salesforce");
    }

    @Test
    void compoundFieldsAreMappedAsTheirComponents() throws Exception {
        MappingCheck.Resolved resolved = resolve("Account",
                "\"access\": \"read_only\", \"fields\": {\"BillingCity\": {}, \"BillingAddress\": {}, \"Name\": {}}");

        assertThat(resolved.mapping().fields()).containsExactly("Id", "IsDeleted", "SystemModstamp", "BillingCity",
                "BillingStreet", "BillingState", "BillingPostalCode", "BillingCountry", "BillingLatitude",
                "BillingLongitude", "BillingGeocodeAccuracy", "Name");
        assertThat(resolved.warnings()).containsExactly("mappings[0] (Account): config.fields.BillingAddress:"
                + " BillingAddress is a compound field (address), which has no column of its own; mapped as its"
                + " components BillingStreet, BillingCity, BillingState, BillingPostalCode, BillingCountry,"
                + " BillingLatitude, BillingLongitude, BillingGeocodeAccuracy");
        assertThat(problems("Sync_Sample__c", """
                "access": "read_only", "fields": {"Location__c": {}},
                "indexes": {"Location__c": {"unique": false}}"""))
                .containsExactly("mappings[0] (Sync_Sample__c): config.indexes.Location__c: Location__c is a compound"
                        + " field (location), which has no column of its own; name one of its components:"
                        + " Location__Latitude__s, Location__Longitude__s");
    }

    @Test
    void isDeletedIsMappedOnlyWhereTheObjectHasIt() throws Exception {
        assertThat(resolve("User", "\"access\": \"read_only\", \"fields\": {\"Username\": {}}").mapping().fields())
                .containsExactly("Id", "SystemModstamp", "Username");
        assertThat(resolve("Contact", "\"access\": \"read_only\", \"fields\": {\"Email\": {}}").mapping().fields())
                .containsExactly("Id", "IsDeleted", "SystemModstamp", "Email");
    }

    @Test
    void allFieldsMapsEveryFieldButCompoundsInDescribeOrder() throws Exception {
        MappingCheck.Resolved resolved = resolve("Sync_Sample__c", "\"access\": \"read_only\", \"all_fields\": true");

        List<String> expected = ObjectDescribe.of(ORG.describe("Sync_Sample__c")).fields().stream()
                .map(ObjectDescribe.Field::name)
                .filter(name -> !name.equals("Address__c") && !name.equals("Location__c")).toList();
        assertThat(resolved.mapping().fields()).isEqualTo(expected).contains("Address__City__s", "Total__c");
        assertThat(resolved.unmappedFields()).isEmpty();
    }

    @Test
    void allFieldsChecksColumnsAgainstEveryField() throws Exception {
        assertThat(problems("Account", """
                "access": "read_only", "all_fields": true, "column_names": {"Name": "phone"}"""))
                .containsExactly("mappings[0] (Account): config.fields.Phone: column 'phone' is also the column of"
                        + " Name; give one of them another name in config.column_names");
        assertThat(problems("Account", """
                "access": "read_only", "all_fields": true, "indexes": {"Nmae": {"unique": false}}"""))
                .singleElement().asString().startsWith("mappings[0] (Account): config.indexes.Nmae: Account has no"
                        + " field Nmae");
    }

    @Test
    void resolvingAResolvedMappingChangesNothing() throws Exception {
        MappingCheck.Resolved once = resolve("Account", """
                "access": "read_only", "fields": {"billingaddress": {}, "NAME": {}},
                "indexes": {"name": {"unique": false}}""");

        MappingCheck.Resolved twice = MappingCheck.resolve(once.mapping(), ORG.describe("Account"));

        assertThat(twice.mapping()).isEqualTo(once.mapping());
        assertThat(twice.warnings()).isEmpty();
    }

    @Test
    void resolvingAFileReportsTheProblemsOfEveryMappingWithTheFileName() throws Exception {
        MappingFile file = MappingFiles.parse("""
                {"version": 1, "mappings": [
                  {"object_name": "Account", "config": {"access": "read_only", "fields": {"Nmae": {}}}},
                  {"object_name": "Contact", "config": {"access": "read_only", "fields": {"Email": {}}}},
                  {"object_name": "Opportunity", "config": {"access": "read_only", "fields": {"Stage": {}}}}]}""",
                "crm.json").file();

        MappingException e = catchThrowableOfType(MappingException.class,
                () -> MappingCheck.resolveAll(file, ORG::describe, "crm.json"));

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0)).startsWith("crm.json: mappings[0] (Account): config.fields.Nmae:");
        assertThat(e.problems().get(1)).startsWith("crm.json: mappings[2] (Opportunity): config.fields.Stage:");
    }

    @Test
    void everyMappingOfTheHerokuConnectExportResolves() throws Exception {
        MappingFile file = MappingFiles.read(TestFiles.herokuConnectExport()).file();

        List<MappingCheck.Resolved> resolved = MappingCheck.resolveAll(file, ORG::describe, "export");

        assertThat(resolved).hasSize(4);
        assertThat(resolved).allSatisfy(r -> assertThat(r.warnings()).isEmpty());
        assertThat(resolved.get(0).mapping()).isEqualTo(file.mappings().get(0));
    }
}
