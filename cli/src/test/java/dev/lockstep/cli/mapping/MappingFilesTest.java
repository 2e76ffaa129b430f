package dev.lockstep.cli.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.cli.mapping.Mapping.Access;
import dev.lockstep.cli.mapping.Mapping.DeleteMode;
import dev.lockstep.cli.mapping.Mapping.SyncMode;
import dev.lockstep.cli.mapping.Mapping.UpdateMode;
import dev.lockstep.cli.testing.TestFiles;
import dev.lockstep.common.SchemaStyle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingFilesTest {

    private static final String SOURCE = "mappings.json";

    /** A file of one mapping of Account with the given {@code config} members (JSON without braces). */
    private static String account(String config) {
        return "{\"version\": 1, \"mappings\": [{\"object_name\": \"Account\", \"config\": {" + config + "}}]}";
    }

    private static MappingFiles.Parsed parse(String json) throws MappingException {
        return MappingFiles.parse(json, SOURCE);
    }

    private static List<String> problems(String json) {
        MappingException e = catchThrowableOfType(MappingException.class, () -> parse(json));
        assertThat(e).as("problems expected in " + json).isNotNull();
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems()));
        return e.problems();
    }

    private static String problem(String json) {
        List<String> problems = problems(json);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    @Test
    void herokuConnectExportReadsUnchanged() throws Exception {
        MappingFiles.Parsed parsed = MappingFiles.read(TestFiles.herokuConnectExport());
        MappingFile file = parsed.file();

        assertThat(parsed.warnings()).isEmpty();
        assertThat(file.version()).isEqualTo(1);
        assertThat(file.connection().path("app_name").asText()).isEqualTo("acme-portal");
        assertThat(file.connection().path("features").path("poll_db_no_merge").asBoolean()).isTrue();
        assertThat(file.mappings()).extracting(Mapping::objectName)
                .containsExactly("Account", "Contact", "Opportunity", "Sync_Sample__c");

        Mapping account = file.mappings().get(0);
        assertThat(account.position()).isZero();
        assertThat(account.access()).isEqualTo(Access.READ_WRITE);
        assertThat(account.fields()).hasSize(21).startsWith("AccountNumber", "AnnualRevenue").endsWith("Website");
        assertThat(account.indexes()).containsExactly(Map.entry("Id", true), Map.entry("SystemModstamp", false),
                Map.entry("External_Id__c", true), Map.entry("Name", false));
        assertThat(account.upsertField()).isEqualTo("External_Id__c");
        assertThat(account.pollingSeconds()).isEqualTo(600);
        assertThat(account.notifyEnabled()).isTrue();
        assertThat(account.keptKeys()).containsOnlyKeys("sf_max_daily_api_calls", "applied_at");
        assertThat(account.schema()).isEqualTo("salesforce");
        assertThat(account.table()).isEqualTo("account");
        assertThat(account.qualifiedTable()).isEqualTo("salesforce.account");
        assertThat(account.column("External_Id__c")).isEqualTo("external_id__c");
        assertThat(account.column("Id")).isEqualTo("sfid");
        assertThat(account.allFields()).isFalse();
        assertThat(account.syncMode()).isEqualTo(SyncMode.STREAM);
        assertThat(account.updateMode()).isEqualTo(UpdateMode.PARTIAL);
        assertThat(account.deleteMode()).isEqualTo(DeleteMode.SOFT);
        assertThat(account.schemaStyle()).isEqualTo(SchemaStyle.HEROKU_CONNECT);

        Mapping opportunity = file.mappings().get(2);
        assertThat(opportunity.describe()).isEqualTo("mappings[2] (Opportunity)");
        assertThat(opportunity.access()).isEqualTo(Access.READ_ONLY);
        assertThat(opportunity.pollingSeconds()).isEqualTo(1800);
        assertThat(opportunity.upsertField()).isNull();
        assertThat(file.mappings().get(3).table()).isEqualTo("sync_sample__c");
    }

    @Test
    void writingAnExportBackGivesTheSameFile() throws Exception {
        String original = Files.readString(TestFiles.herokuConnectExport(), StandardCharsets.UTF_8);

        String written = MappingFiles.write(MappingFiles.parse(original, "export").file());

        assertThat(written).isEqualTo(original);
    }

    @Test
    void lockstepKeysRoundTripAndAreWrittenOnlyWhenNotDefault() throws Exception {
        String json = account("""
                "access": "read_only", "fields": {"Name": {}, "Phone": {}},
                "schema": "crm", "table_name": "accounts", "column_names": {"Phone": "phone_number"},
                "sync_mode": "poll", "update_mode": "full", "delete_mode": "hard", "schema_style": "native",
                "sf_polling_seconds": 120""");
        MappingFile file = parse(json).file();
        Mapping mapping = file.mappings().get(0);

        assertThat(mapping.schema()).isEqualTo("crm");
        assertThat(mapping.table()).isEqualTo("accounts");
        assertThat(mapping.qualifiedTable()).isEqualTo("crm.accounts");
        assertThat(mapping.column("phone")).isEqualTo("phone_number");
        assertThat(mapping.syncMode()).isEqualTo(SyncMode.POLL);
        assertThat(mapping.updateMode()).isEqualTo(UpdateMode.FULL);
        assertThat(mapping.deleteMode()).isEqualTo(DeleteMode.HARD);
        assertThat(mapping.schemaStyle()).isEqualTo(SchemaStyle.NATIVE);
        assertThat(parse(MappingFiles.write(file)).file()).isEqualTo(file);

        String defaults = MappingFiles.write(parse(account("""
                "access": "read_only", "fields": {"Name": {}}, "schema": "salesforce", "table_name": "account",
                "all_fields": false, "sync_mode": "stream", "update_mode": "partial", "delete_mode": "soft",
                "schema_style": "heroku-connect\"""")).file());
        assertThat(new ObjectMapper().readTree(defaults).path("mappings").get(0).path("config").properties())
                .extracting(Map.Entry::getKey)
                .containsExactly("access", "sf_notify_enabled", "sf_polling_seconds", "fields");
    }

    @Test
    void writtenFileReadsBackFromDisk(@TempDir Path directory) throws Exception {
        MappingFile file = MappingFiles.read(TestFiles.herokuConnectExport()).file();
        Path copy = directory.resolve("copy.json");

        MappingFiles.write(file, copy);

        assertThat(MappingFiles.read(copy).file()).isEqualTo(file);
    }

    @Test
    void fieldsHerokuConnectAlwaysMapsAreAddedInFront() throws Exception {
        Mapping mapping = parse(account("\"access\": \"read_only\", \"fields\": {\"Name\": {}, \"isdeleted\": {}}"))
                .file().mappings().get(0);

        assertThat(mapping.fields()).containsExactly("Id", "SystemModstamp", "Name", "isdeleted");
    }

    @Test
    void unknownKeysAreWarnedAboutAndIgnored() throws Exception {
        String json = """
                {"version": 1, "exported_by": "me",
                 "mappings": [
                   {"object_name": "Account", "config": {"access": "read_only", "fields": {"Name": {}}}},
                   {"object_name": "Contact", "note": "x",
                    "config": {"access": "read_only", "foo": 1, "fields": {"Name": {"label": "Name"}},
                               "indexes": {"Name": {"unique": false, "method": "gin"}}}}]}""";

        MappingFiles.Parsed parsed = parse(json);

        assertThat(parsed.warnings()).containsExactly(
                "exported_by is not a known key; ignored",
                "mappings[1] (Contact): note is not a known key; ignored",
                "mappings[1] (Contact): config.foo is not a known key; ignored",
                "mappings[1] (Contact): config.fields.Name.label is not a known key; ignored",
                "mappings[1] (Contact): config.indexes.Name.method is not a known key; ignored");
        assertThat(MappingFiles.write(parsed.file())).doesNotContain("foo", "label", "method", "exported_by");
    }

    @Test
    void readWriteWithoutUpsertFieldIsWarnedAbout() throws Exception {
        assertThat(parse(account("\"access\": \"read_write\", \"fields\": {\"Name\": {}}")).warnings())
                .singleElement().asString()
                .startsWith("mappings[0] (Account): config.upsert_field is not set on a read_write mapping");
    }

    @Test
    void wrongAccessNamesTheValueAndTheChoices() {
        assertThat(problem(account("\"access\": \"readonly\", \"fields\": {}")))
                .isEqualTo("mappings.json: mappings[0] (Account): config.access: \"readonly\" is not an access mode;"
                        + " use read_only (Salesforce → Postgres) or read_write (both ways)");
        assertThat(problem(account("\"fields\": {}"))).contains("config.access: missing; use read_only");
    }

    @Test
    void fieldsMustBeAnObject() {
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": [\"Name\"]")))
                .isEqualTo("mappings.json: mappings[0] (Account): config.fields: must be an object of field names to"
                        + " {}, not an array; write \"fields\": {\"Name\": {}, \"Email\": {}}");
        assertThat(problem(account("\"access\": \"read_only\"")))
                .contains("mappings[0] (Account): config.fields: missing; list the fields to map");
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": {\"First Name\": {}}")))
                .contains("config.fields.First Name: 'First Name' is not a Salesforce API name");
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": {\"Name\": {}, \"NAME\": {}}")))
                .contains("config.fields.NAME: listed twice (also as Name");
    }

    @Test
    void indexOnAnUnmappedFieldIsRejected() {
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": {\"Name\": {}},"
                + " \"indexes\": {\"Phone\": {\"unique\": false}}")))
                .isEqualTo("mappings.json: mappings[0] (Account): config.indexes.Phone: indexes field Phone, which is"
                        + " not mapped; add \"Phone\": {} to config.fields or remove the index");
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": {\"Name\": {}},"
                + " \"indexes\": {\"Id\": {\"unique\": false}}")))
                .contains("config.indexes.Id: the index on Id (column sfid) is always unique");
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": {\"Name\": {}},"
                + " \"indexes\": {\"Name\": {\"unique\": \"yes\"}}")))
                .contains("config.indexes.Name: must be {\"unique\": true} or {\"unique\": false}");
    }

    @Test
    void upsertFieldNeedsAUniqueIndex() {
        assertThat(problem(account("\"access\": \"read_write\", \"fields\": {\"External_Id__c\": {}},"
                + " \"upsert_field\": \"External_Id__c\"")))
                .isEqualTo("mappings.json: mappings[0] (Account): config.upsert_field: External_Id__c has no unique"
                        + " index (rows are matched by it, so it must be unique in Postgres too); add \"indexes\":"
                        + " {\"External_Id__c\": {\"unique\": true}}");
        assertThat(problem(account("\"access\": \"read_write\", \"fields\": {\"Name\": {}},"
                + " \"upsert_field\": \"External_Id__c\"")))
                .contains("config.upsert_field: External_Id__c is not mapped");
    }

    @Test
    void onlyOneUpsertFieldIsAllowed() {
        assertThat(problem(account("\"access\": \"read_write\", \"fields\": {\"A__c\": {}, \"B__c\": {}},"
                + " \"indexes\": {\"A__c\": {\"unique\": true}, \"B__c\": {\"unique\": true}},"
                + " \"upsert_field\": [\"A__c\", \"B__c\"]")))
                .isEqualTo("mappings.json: mappings[0] (Account): config.upsert_field: names 2 fields"
                        + " [\"A__c\",\"B__c\"]; keep one: a mapping has at most one upsert field, as in Heroku"
                        + " Connect");
    }

    @Test
    void theSameObjectTwiceIntoOneTableIsRejected() {
        String mapping = "{\"object_name\": \"Account\", \"config\": {\"access\": \"read_only\", \"fields\": {}}}";
        String other = "{\"object_name\": \"Contact\", \"config\": {\"access\": \"read_only\", \"fields\": {},"
                + " \"table_name\": \"account\"}}";

        assertThat(problem("{\"version\": 1, \"mappings\": [" + mapping + ", " + mapping + "]}"))
                .isEqualTo("mappings.json: mappings[1] (Account): object_name: Account is mapped twice into"
                        + " salesforce.account (also mappings[0] (Account)); remove one of the two mappings, or give"
                        + " one a table_name of its own");
        assertThat(problem("{\"version\": 1, \"mappings\": [" + mapping + ", " + other + "]}"))
                .contains("mappings[1] (Contact): config.table_name: salesforce.account is already the table of"
                        + " mappings[0] (Account)");
    }

    @Test
    void renamedColumnsMustBeValidDistinctNonSystemIdentifiers() {
        String fields = "\"access\": \"read_only\", \"fields\": {\"Name\": {}, \"Phone\": {}}, \"column_names\": ";

        assertThat(problem(account(fields + "{\"Name\": \"AccountName\"}")))
                .startsWith("mappings.json: mappings[0] (Account): config.column_names.Name: 'AccountName' is not a"
                        + " plain lower-case Postgres identifier");
        assertThat(problem(account(fields + "{\"Name\": \"" + "n".repeat(64) + "\"}")))
                .contains("config.column_names.Name: '" + "n".repeat(64) + "' is 64 bytes long; Postgres identifiers"
                        + " have at most 63");
        assertThat(problem(account(fields + "{\"Name\": \"order\"}")))
                .contains("config.column_names.Name: 'order' is a reserved word in Postgres");
        assertThat(problem(account(fields + "{\"Name\": \"phone\"}")))
                .isEqualTo("mappings.json: mappings[0] (Account): config.fields.Phone: column 'phone' is also the"
                        + " column of Name; give one of them another name in config.column_names");
        assertThat(problem(account(fields + "{\"Name\": \"sfid\"}")))
                .isEqualTo("mappings.json: mappings[0] (Account): config.column_names.Name: 'sfid' is a system"
                        + " column of every mapped table (id, sfid, _hc_lastop, _hc_err); choose another column"
                        + " name");
        assertThat(problem(account(fields + "{\"Email\": \"email\"}")))
                .contains("config.column_names.Email: renames Email, which is not mapped");
        assertThat(problem(account(fields + "{\"Id\": \"account_id\"}")))
                .contains("config.column_names.Id: Id is always the sfid column");
    }

    @Test
    void tableAndSchemaMustBeValidIdentifiers() {
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": {}, \"table_name\": \"My Accounts\"")))
                .startsWith("mappings.json: mappings[0] (Account): config.table_name: 'My Accounts' is not a plain"
                        + " lower-case Postgres identifier");
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": {}, \"schema\": \"select\"")))
                .contains("config.schema: 'select' is a reserved word in Postgres; use a lower-case name such as"
                        + " \"salesforce\"");
    }

    @Test
    void optionValuesAreChecked() {
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": {}, \"sync_mode\": \"cdc\"")))
                .contains("config.sync_mode: \"cdc\" is not one of stream, poll; use stream");
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": {}, \"schema_style\": \"pg\"")))
                .contains("config.schema_style: \"pg\" is not one of heroku-connect, native");
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": {}, \"sf_polling_seconds\": 0")))
                .contains("config.sf_polling_seconds: must be a whole number of at least 1, not 0");
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": {}, \"all_fields\": \"yes\"")))
                .contains("config.all_fields: must be true or false, not \"yes\"");
    }

    @Test
    void versionMustBeOne() {
        assertThat(problem("{\"version\": 2, \"mappings\": []}".replace("[]", "[" + mappingOf("Account") + "]")))
                .isEqualTo("mappings.json: version: 2 is not supported; this release reads version 1, Heroku"
                        + " Connect's export format");
        assertThat(problem("{\"mappings\": [" + mappingOf("Account") + "]}"))
                .isEqualTo("mappings.json: version: missing; add \"version\": 1");
    }

    @Test
    void emptyMappingsAreRejected() {
        assertThat(problem("{\"version\": 1, \"mappings\": []}"))
                .startsWith("mappings.json: mappings: empty; add at least one mapping");
        assertThat(problem("{\"version\": 1}")).startsWith("mappings.json: mappings: missing;");
        assertThat(problem("[]")).startsWith("mappings.json: holds an array, not a JSON object;");
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnce() {
        String json = """
                {"version": 1, "mappings": [
                  {"object_name": "Account", "config": {"access": "rw", "fields": {"Name": {}},
                                                        "indexes": {"Phone": {"unique": true}}}},
                  {"object_name": "Contact", "config": {"access": "read_write", "fields": [],
                                                        "upsert_field": ["A", "B"]}},
                  {"config": {}}]}""";

        assertThat(problems(json)).containsExactly(
                "mappings.json: mappings[0] (Account): config.access: \"rw\" is not an access mode; use read_only"
                        + " (Salesforce → Postgres) or read_write (both ways)",
                "mappings.json: mappings[0] (Account): config.indexes.Phone: indexes field Phone, which is not"
                        + " mapped; add \"Phone\": {} to config.fields or remove the index",
                "mappings.json: mappings[1] (Contact): config.fields: must be an object of field names to {}, not an"
                        + " array; write \"fields\": {\"Name\": {}, \"Email\": {}}",
                "mappings.json: mappings[1] (Contact): config.upsert_field: names 2 fields [\"A\",\"B\"]; keep one:"
                        + " a mapping has at most one upsert field, as in Heroku Connect",
                "mappings.json: mappings[2]: object_name: missing; add the Salesforce object's API name, e.g."
                        + " \"object_name\": \"Account\"");
    }

    @Test
    void invalidJsonIsReportedWithItsPlace() {
        assertThat(problem("{\"version\": 1,\n \"mappings\": [}"))
                .startsWith("mappings.json: line 2, column 15: cannot be read as JSON");
        assertThat(problem(account("\"access\": \"read_only\", \"fields\": {\"Name\": {}, \"Name\": {}}")))
                .contains("Duplicate field 'Name'");
    }

    private static String mappingOf(String object) {
        return "{\"object_name\": \"" + object + "\", \"config\": {\"access\": \"read_only\", \"fields\": {}}}";
    }
}
