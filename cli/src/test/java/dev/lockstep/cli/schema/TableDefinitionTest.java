package dev.lockstep.cli.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.mapping.MappingFile;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.testing.EmulatedOrg;
import dev.lockstep.cli.testing.TestFiles;
import dev.lockstep.common.ColumnType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tables built from real describes (the emulator's) compared with DDL written by hand from Heroku Connect's type
 * table, in {@code src/test/resources/schema/}.
 */
class TableDefinitionTest {

    @RegisterExtension
    static final EmulatedOrg ORG = new EmulatedOrg();

    static final String SYNC_SAMPLE = """
            {"object_name": "Sync_Sample__c", "config": {"access": "read_write", "all_fields": true,
             "upsert_field": "External_Id__c",
             "indexes": {"External_Id__c": {"unique": true}, "Due_Date__c": {"unique": false}}}}""";

    static final String SYNC_SAMPLE_NATIVE = """
            {"object_name": "Sync_Sample__c", "config": {"access": "read_only", "all_fields": true, "schema": "crm",
             "table_name": "sync_sample", "schema_style": "native", "column_names": {"Colors__c": "colors"}}}""";

    /** A table name that fits Postgres' limit, but whose index names do not. */
    static final String LONG_TABLE = "sync_sample_with_a_table_name_long_enough_to_overflow_idx";

    static Mapping mapping(String json) throws MappingException {
        return MappingFiles.parse("{\"version\": 1, \"mappings\": [" + json + "]}", "test.json").file().mappings()
                .get(0);
    }

    static MappingFile export() throws IOException, MappingException {
        return MappingFiles.read(TestFiles.herokuConnectExport()).file();
    }

    private static TableDefinition table(Mapping mapping) throws MappingException {
        return TableDefinition.of(mapping, ORG.describe(mapping.objectName()));
    }

    private static String expected(String name) throws IOException {
        try (InputStream in = TableDefinitionTest.class.getResourceAsStream("/schema/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void accountAndContactOfAHerokuConnectExportGetHerokuConnectsTables() throws Exception {
        MappingFile file = export();

        assertThat(table(file.mappings().get(0)).ddl()).isEqualTo(expected("account.sql"));
        assertThat(table(file.mappings().get(1)).ddl()).isEqualTo(expected("contact.sql"));
    }

    @Test
    void everyFieldTypeGetsHerokuConnectsColumnType() throws Exception {
        assertThat(table(mapping(SYNC_SAMPLE)).ddl()).isEqualTo(expected("sync_sample__c.sql"));
    }

    @Test
    void nativeStyleUsesNumericTimestamptzArraysAndBytea() throws Exception {
        assertThat(table(mapping(SYNC_SAMPLE_NATIVE)).ddl()).isEqualTo(expected("sync_sample-native.sql"));
    }

    @Test
    void columnsNameTheFieldsTheyHold() throws Exception {
        TableDefinition table = table(mapping(SYNC_SAMPLE));

        assertThat(table.column("amount__c").orElseThrow().field()).isEqualTo("Amount__c");
        assertThat(table.column("sfid").orElseThrow().field()).isEqualTo("Id");
        assertThat(table.column("sfid").orElseThrow().type()).isEqualTo(ColumnType.parse("character varying(18)"));
        assertThat(table.column("id").orElseThrow().field()).isNull();
        assertThat(table.column("id").orElseThrow().ddlType()).isEqualTo("serial");
        assertThat(table.column("address__c")).isEmpty();
        assertThat(table.primaryKeyName()).isEqualTo("sync_sample__c_pkey");
        assertThat(table.sequenceName()).isEqualTo("sync_sample__c_id_seq");
        assertThat(table.qualifiedName()).isEqualTo("salesforce.sync_sample__c");
        assertThat(table.unmappedFields()).isEmpty();
    }

    @Test
    void reservedWordsAreQuoted() throws Exception {
        String ddl = table(mapping("{\"object_name\": \"User\", \"config\": {\"access\": \"read_only\","
                + " \"fields\": {\"Username\": {}}}}")).ddl();

        assertThat(ddl).contains("CREATE TABLE salesforce.\"user\" (\n    systemmodstamp timestamp,\n"
                + "    username varchar(80),\n    sfid varchar(18),\n")
                .contains("ON salesforce.\"user\" (systemmodstamp);");
    }

    @Test
    void generatedNamesOverPostgresLimitAreShortenedTheSameWayEveryTime() throws Exception {
        String table = LONG_TABLE;
        String json = SYNC_SAMPLE.replace("\"all_fields\": true,", "\"all_fields\": true, \"table_name\": \""
                + table + "\",");

        TableDefinition first = table(mapping(json));
        TableDefinition again = table(mapping(json));

        List<String> names = first.indexes().stream().map(TableDefinition.Index::name).toList();
        assertThat(names).isEqualTo(again.indexes().stream().map(TableDefinition.Index::name).toList());
        assertThat(names).allSatisfy(name -> assertThat(name.length()).isLessThanOrEqualTo(63))
                .doesNotHaveDuplicates();
        assertThat(names.get(0)).startsWith("hcu_idx_" + table.substring(0, 20)).matches(".*_[0-9a-f]{8}");
        assertThat(first.primaryKeyName()).isEqualTo(table + "_pkey");
        assertThat(first.sequenceName()).isEqualTo(table.substring(0, 56) + "_id_seq");
    }

    @Test
    void mappingProblemsFoundAgainstDescribeStopTheDefinition() throws Exception {
        Mapping mapping = mapping("{\"object_name\": \"Account\", \"config\": {\"access\": \"read_only\","
                + " \"fields\": {\"Nmae\": {}}}}");

        assertThat(catchThrowableOfType(MappingException.class, () -> table(mapping))
                .problems()).singleElement().asString().contains("config.fields.Nmae: Account has no field Nmae");
    }
}
