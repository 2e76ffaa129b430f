package dev.lockstep.cli.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.schema.SchemaPlan.Change;
import dev.lockstep.cli.schema.SchemaPlan.Finding;
import dev.lockstep.cli.schema.SchemaPlan.Severity;
import dev.lockstep.cli.testing.EmulatedOrg;
import dev.lockstep.cli.testing.PostgresServer;
import dev.lockstep.emulator.org.FieldType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Plans applied to a real Postgres, from real describes (the emulator's), and planned again. */
class SchemaPlannerTest {

    @RegisterExtension
    static final EmulatedOrg ORG = new EmulatedOrg();

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void emptyDatabase() throws SQLException {
        POSTGRES.execute("DROP SCHEMA IF EXISTS salesforce CASCADE", "DROP SCHEMA IF EXISTS crm CASCADE");
    }

    private static TableDefinition table(String mappingJson) throws MappingException {
        return table(TableDefinitionTest.mapping(mappingJson));
    }

    private static TableDefinition table(Mapping mapping) throws MappingException {
        return TableDefinition.of(mapping, ORG.describe(mapping.objectName()));
    }

    private static List<TableDefinition> export() throws Exception {
        List<TableDefinition> tables = new ArrayList<>();
        for (Mapping mapping : TableDefinitionTest.export().mappings()) {
            tables.add(table(mapping));
        }
        return tables;
    }

    private static SchemaPlan plan(List<TableDefinition> tables) throws SQLException {
        try (Connection connection = POSTGRES.connection()) {
            return SchemaPlanner.plan(tables, connection);
        }
    }

    private static SchemaPlan plan(TableDefinition table) throws SQLException {
        return plan(List.of(table));
    }

    private static void apply(SchemaPlan plan) throws SQLException {
        try (Connection connection = POSTGRES.connection()) {
            plan.apply(connection);
        }
    }

    private static PostgresCatalog catalog(String schema) throws SQLException {
        try (Connection connection = POSTGRES.connection()) {
            return PostgresCatalog.read(connection, schema);
        }
    }

    private static List<Finding> problems(SchemaPlan plan) {
        return plan.findings().stream().filter(f -> f.severity() != Severity.INFO).toList();
    }

    /** The table in Postgres has the definition's columns (types as the catalog prints them) and indexes. */
    private static void assertCatalogHolds(TableDefinition table) throws SQLException {
        PostgresCatalog.Table actual = catalog(table.schema()).table(table.table()).orElseThrow();
        assertThat(actual.isTable()).isTrue();
        assertThat(actual.columns().keySet()).containsExactlyElementsOf(
                table.columns().stream().map(TableDefinition.Column::name).toList());
        for (TableDefinition.Column column : table.columns()) {
            assertThat(actual.columns().get(column.name()).formatType()).as(column.name())
                    .isEqualTo(column.type().formatType());
        }
        assertThat(actual.columns().get("id").defaultExpression())
                .isEqualTo("nextval('" + table.schema() + "." + table.sequenceName() + "'::regclass)");
        assertThat(actual.primaryKey().orElseThrow().name()).isEqualTo(table.primaryKeyName());
        assertThat(actual.primaryKey().orElseThrow().columns()).containsExactly("id");
        List<String> expectedIndexes = new ArrayList<>(List.of(table.primaryKeyName()));
        for (TableDefinition.Index index : table.indexes()) {
            expectedIndexes.add(index.name());
            PostgresCatalog.Index made = actual.index(index.name()).orElseThrow();
            assertThat(made.covers(index.column())).as(index.name()).isTrue();
            assertThat(made.unique()).as(index.name()).isEqualTo(index.unique());
            assertThat(made.constraint()).as(index.name()).isEqualTo(index.constraint() ? index.name() : null);
        }
        assertThat(actual.indexes()).extracting(PostgresCatalog.Index::name)
                .containsExactlyInAnyOrderElementsOf(expectedIndexes);
    }

    @Test
    void planCreatesSchemaTablesAndIndexesAndApplyMakesThemAsDefined() throws Exception {
        List<TableDefinition> tables = export();

        SchemaPlan plan = plan(tables);

        assertThat(plan.changes()).extracting(Change::description).startsWith(
                "create schema salesforce",
                "create table salesforce.account (24 columns)",
                "create index hc_idx_account_systemmodstamp on salesforce.account (systemmodstamp)",
                "create unique index hcu_idx_account_external_id__c on salesforce.account (external_id__c)",
                "create index hc_idx_account_name on salesforce.account (name)",
                "create table salesforce.contact (22 columns)");
        assertThat(plan.changes()).hasSize(1 + 4 + 5 + 3 + 3);
        assertThat(plan.changes().get(1).sql()).isEqualTo(tables.get(0).createTableSql());
        assertThat(plan.findings()).isEmpty();
        assertThat(plan.render()).startsWith("+ create schema salesforce\n+ create table salesforce.account");

        apply(plan);

        for (TableDefinition table : tables) {
            assertCatalogHolds(table);
        }
    }

    @Test
    void planningAgainAfterApplyChangesNothing() throws Exception {
        List<TableDefinition> tables = export();
        apply(plan(tables));

        SchemaPlan again = plan(tables);

        assertThat(again.isEmpty()).isTrue();
        assertThat(again.sql()).isEmpty();
        assertThat(problems(again)).isEmpty();
        assertThat(again.render()).endsWith("Nothing to change in Postgres.\n");
        assertThat(plan(table(TableDefinitionTest.SYNC_SAMPLE)).changes()).isNotEmpty();
    }

    @Test
    void everyFieldTypeMakesItsColumnInBothStyles() throws Exception {
        TableDefinition herokuConnect = table(TableDefinitionTest.SYNC_SAMPLE);
        TableDefinition nativeStyle = table(TableDefinitionTest.SYNC_SAMPLE_NATIVE);

        apply(plan(List.of(herokuConnect, nativeStyle)));

        assertCatalogHolds(herokuConnect);
        assertCatalogHolds(nativeStyle);
        Map<String, PostgresCatalog.Column> columns = catalog("crm").table("sync_sample").orElseThrow().columns();
        assertThat(columns.get("amount__c").formatType()).isEqualTo("numeric(16,2)");
        assertThat(columns.get("due_at__c").formatType()).isEqualTo("timestamp with time zone");
        assertThat(columns.get("colors").formatType()).isEqualTo("text[]");
        assertThat(columns.get("attachment__c").formatType()).isEqualTo("bytea");
        assertThat(catalog("salesforce").table("sync_sample__c").orElseThrow().columns().get("colors__c")
                .formatType()).isEqualTo("character varying(4099)");
        assertThat(plan(List.of(herokuConnect, nativeStyle)).isEmpty()).isTrue();
    }

    @Test
    void aFieldAddedInSalesforceBecomesAColumnWithAllFields() throws Exception {
        apply(plan(table(TableDefinitionTest.SYNC_SAMPLE)));
        ORG.emulator().org().addField("Sync_Sample__c", JSON.readTree(
                "{\"name\": \"Added__c\", \"label\": \"Added\", \"type\": \"string\", \"length\": 30}"));
        try {
            TableDefinition evolved = table(TableDefinitionTest.SYNC_SAMPLE);

            SchemaPlan plan = plan(evolved);

            assertThat(plan.changes()).containsExactly(new Change(
                    "add column salesforce.sync_sample__c.added__c varchar(30) for Sync_Sample__c.Added__c",
                    "ALTER TABLE salesforce.sync_sample__c ADD COLUMN added__c varchar(30)"));
            assertThat(plan.findings()).isEmpty();
            apply(plan);
            assertThat(catalog("salesforce").table("sync_sample__c").orElseThrow().columns().get("added__c")
                    .formatType()).isEqualTo("character varying(30)");
            assertThat(plan(evolved).isEmpty()).isTrue();
        } finally {
            ORG.emulator().org().removeField("Sync_Sample__c", "Added__c");
        }
    }

    @Test
    void aFieldAddedInSalesforceIsReportedWithAnExplicitFieldList() throws Exception {
        Mapping mapping = TableDefinitionTest.export().mappings().get(3);
        apply(plan(table(mapping)));
        ORG.emulator().org().addField("Sync_Sample__c", JSON.readTree(
                "{\"name\": \"Added__c\", \"label\": \"Added\", \"type\": \"string\", \"length\": 30}"));
        try {
            SchemaPlan plan = plan(table(mapping));

            assertThat(plan.isEmpty()).isTrue();
            assertThat(plan.findings()).singleElement().satisfies(finding -> {
                assertThat(finding.severity()).isEqualTo(Severity.INFO);
                assertThat(finding.mapping()).isEqualTo("mappings[3] (Sync_Sample__c)");
                assertThat(finding.text()).startsWith("Salesforce fields OwnerId, CreatedById,")
                        .contains(", Added__c are not mapped; add to config.fields (or set all_fields)");
            });
        } finally {
            ORG.emulator().org().removeField("Sync_Sample__c", "Added__c");
        }
    }

    @Test
    void aFieldDeletedInSalesforceOrUnmappedKeepsItsColumnAndIsReported() throws Exception {
        apply(plan(table(TableDefinitionTest.SYNC_SAMPLE)));
        JsonNode code = field(ORG.describe("Sync_Sample__c"), "Code__c");
        ORG.emulator().org().removeField("Sync_Sample__c", "Code__c");
        try {
            SchemaPlan plan = plan(table(TableDefinitionTest.SYNC_SAMPLE));

            assertThat(plan.isEmpty()).isTrue();
            assertThat(plan.findings()).containsExactly(new Finding(Severity.WARNING, "mappings[0] (Sync_Sample__c)",
                    "column salesforce.sync_sample__c.code__c holds no field of Sync_Sample__c (deleted or renamed in"
                            + " Salesforce, or added by hand); kept, no longer updated: once nothing reads it, run"
                            + " ALTER TABLE salesforce.sync_sample__c DROP COLUMN code__c;",
                    "ALTER TABLE salesforce.sync_sample__c DROP COLUMN code__c"));
        } finally {
            ORG.emulator().org().addField("Sync_Sample__c", code);
        }
        TableDefinition narrower = table(TableDefinitionTest.SYNC_SAMPLE.replace("\"all_fields\": true,",
                "\"fields\": {\"Name\": {}, \"External_Id__c\": {}, \"Due_Date__c\": {}},"));

        assertThat(plan(narrower).findings())
                .filteredOn(f -> f.text().startsWith("column salesforce.sync_sample__c.text__c ")).singleElement()
                .isEqualTo(new Finding(Severity.INFO, "mappings[0] (Sync_Sample__c)",
                        "column salesforce.sync_sample__c.text__c holds Sync_Sample__c.Text__c, which is not mapped;"
                                + " kept, no longer updated (map the field again to sync it)", null));
    }

    @Test
    void aFieldRetypedInSalesforceIsReportedWithTheStatementToRetypeTheColumn() throws Exception {
        apply(plan(table(TableDefinitionTest.SYNC_SAMPLE)));
        ORG.emulator().org().changeFieldType("Sync_Sample__c", "Code__c", FieldType.STRING, 100, 0, 0);
        try {
            TableDefinition widened = table(TableDefinitionTest.SYNC_SAMPLE);

            SchemaPlan plan = plan(widened);

            assertThat(plan.isEmpty()).isTrue();
            Finding finding = plan.findings().get(0);
            assertThat(plan.findings()).hasSize(1);
            assertThat(finding.severity()).isEqualTo(Severity.WARNING);
            assertThat(finding.text()).isEqualTo("column salesforce.sync_sample__c.code__c is varchar(20) in"
                    + " Postgres, varchar(100) expected for Sync_Sample__c.Code__c; not changed (Lockstep never"
                    + " retypes a column): keep it if every value fits, or run ALTER TABLE salesforce.sync_sample__c"
                    + " ALTER COLUMN code__c TYPE varchar(100);");
            assertThat(plan.render()).contains("! warning mappings[0] (Sync_Sample__c): column");

            POSTGRES.execute(finding.sql());

            assertThat(plan(widened).findings()).isEmpty();
        } finally {
            ORG.emulator().org().changeFieldType("Sync_Sample__c", "Code__c", FieldType.STRING, 20, 0, 0);
        }
    }

    @Test
    void switchingToTheNativeStyleSuggestsRetypesThatWork() throws Exception {
        String herokuConnect = TableDefinitionTest.SYNC_SAMPLE_NATIVE.replace("\"schema_style\": \"native\",", "");
        apply(plan(table(herokuConnect)));
        POSTGRES.execute("INSERT INTO crm.sync_sample (sfid, createddate, colors, amount__c, attachment__c) VALUES"
                + " ('a00000000000001AAA', '2025-03-01 12:00:00', 'red;green', 12.5, 'aGk=')");
        TableDefinition nativeStyle = table(TableDefinitionTest.SYNC_SAMPLE_NATIVE);

        SchemaPlan plan = plan(nativeStyle);

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.findings()).extracting(Finding::sql).contains(
                "ALTER TABLE crm.sync_sample ALTER COLUMN createddate TYPE timestamptz USING createddate AT TIME ZONE"
                        + " 'UTC'",
                "ALTER TABLE crm.sync_sample ALTER COLUMN colors TYPE text[] USING string_to_array(colors, ';')",
                "ALTER TABLE crm.sync_sample ALTER COLUMN amount__c TYPE numeric(16,2)",
                "ALTER TABLE crm.sync_sample ALTER COLUMN attachment__c TYPE bytea USING decode(attachment__c,"
                        + " 'base64')");
        for (Finding finding : plan.findings()) {
            POSTGRES.execute(finding.sql());
        }

        assertThat(plan(nativeStyle).findings()).isEmpty();
        assertThat(POSTGRES.column("SELECT array_to_string(colors, '|') || ' ' || amount__c || ' '"
                + " || convert_from(attachment__c, 'UTF8') FROM crm.sync_sample"))
                .containsExactly("red|green 12.50 hi");
    }

    @Test
    void aTableWithoutTheSfidUniqueIndexIsAnError() throws Exception {
        POSTGRES.execute("CREATE SCHEMA salesforce", "CREATE TABLE salesforce.account (id serial PRIMARY KEY,"
                + " sfid varchar(18), name varchar(255), legacy_code text)");
        TableDefinition account = table(TableDefinitionTest.export().mappings().get(0));

        SchemaPlan plan = plan(account);

        assertThat(plan.hasErrors()).isTrue();
        assertThat(plan.findings()).extracting(Finding::severity, Finding::text).contains(
                tuple(Severity.ERROR, "salesforce.account has no unique index on sfid,"
                        + " and the sync upserts rows by sfid: remove rows with duplicate sfids, then run ALTER TABLE"
                        + " salesforce.account ADD CONSTRAINT hcu_idx_account_sfid UNIQUE (sfid);"),
                tuple(Severity.WARNING, "column salesforce.account.legacy_code holds no"
                        + " field of Account (deleted or renamed in Salesforce, or added by hand); kept, no longer"
                        + " updated: once nothing reads it, run ALTER TABLE salesforce.account DROP COLUMN"
                        + " legacy_code;"));
        assertThat(plan.changes()).extracting(Change::description)
                .contains("add column salesforce.account.accountnumber varchar(40) for Account.AccountNumber",
                        "add column salesforce.account._hc_lastop varchar(32) (system column)")
                .doesNotContain("add column salesforce.account.name varchar(255) for Account.Name");
        assertThat(plan.render()).contains("! error mappings[0] (Account): salesforce.account has no unique index");
    }

    @Test
    void aTableMissingSystemColumnsAndKeysGetsThem() throws Exception {
        POSTGRES.execute("CREATE SCHEMA salesforce",
                "CREATE TABLE salesforce.contact (email varchar(80), name varchar(121))",
                "INSERT INTO salesforce.contact (email, name) VALUES ('a@example.com', 'A'), ('b@example.com', 'B')");
        TableDefinition contact = table(TableDefinitionTest.export().mappings().get(1));

        SchemaPlan plan = plan(contact);

        assertThat(plan.changes()).extracting(Change::description).contains(
                "add column salesforce.contact.sfid varchar(18) for Contact.Id",
                "add column salesforce.contact.id serial (system column)",
                "add primary key contact_pkey on salesforce.contact (id)",
                "add unique constraint hcu_idx_contact_sfid on salesforce.contact (sfid)",
                "create index hc_idx_contact_email on salesforce.contact (email)");
        assertThat(problems(plan)).isEmpty();
        apply(plan);
        assertThat(plan(contact).isEmpty()).isTrue();
        assertThat(POSTGRES.column("SELECT id || ' ' || email FROM salesforce.contact ORDER BY id"))
                .containsExactly("1 a@example.com", "2 b@example.com");
    }

    @Test
    void indexesOfOtherNamesAreLeftAloneAndWrongOnesReported() throws Exception {
        TableDefinition account = table(TableDefinitionTest.export().mappings().get(0));
        apply(plan(account));
        POSTGRES.execute("ALTER INDEX salesforce.hc_idx_account_name RENAME TO account_name_idx",
                "DROP INDEX salesforce.hcu_idx_account_external_id__c",
                "CREATE INDEX hcu_idx_account_external_id__c ON salesforce.account (external_id__c)");

        SchemaPlan plan = plan(account);

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.findings()).extracting(Finding::severity, Finding::text).contains(
                tuple(Severity.INFO, "the index on salesforce.account (name) is named"
                        + " account_name_idx (Heroku Connect names it hc_idx_account_name); not changed"),
                tuple(Severity.WARNING, "index hcu_idx_account_external_id__c is"
                        + " CREATE INDEX hcu_idx_account_external_id__c ON salesforce.account USING btree"
                        + " (external_id__c), expected CREATE UNIQUE INDEX hcu_idx_account_external_id__c ON"
                        + " salesforce.account (external_id__c); not changed: to have it made as expected, drop it"
                        + " and plan again: DROP INDEX salesforce.hcu_idx_account_external_id__c;"));
    }

    @Test
    void aViewWhereTheTableShouldBeIsAnError() throws Exception {
        POSTGRES.execute("CREATE SCHEMA salesforce", "CREATE VIEW salesforce.account AS SELECT 1 AS id");

        SchemaPlan plan = plan(table(TableDefinitionTest.export().mappings().get(0)));

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.text()).startsWith("salesforce.account is a view, not a table");
        });
    }

    @Test
    void reservedAndLongNamesWorkInPostgres() throws Exception {
        TableDefinition user = table("{\"object_name\": \"User\", \"config\": {\"access\": \"read_only\","
                + " \"fields\": {\"Username\": {}, \"Email\": {}}, \"indexes\": {\"Email\": {\"unique\": false}}}}");
        TableDefinition longNames = table(TableDefinitionTest.SYNC_SAMPLE.replace("\"all_fields\": true,",
                "\"all_fields\": true, \"table_name\": \"" + TableDefinitionTest.LONG_TABLE + "\","));

        apply(plan(List.of(user, longNames)));

        assertCatalogHolds(user);
        assertCatalogHolds(longNames);
        assertThat(plan(List.of(user, longNames)).isEmpty()).isTrue();
    }

    @Test
    void applyMakesAllChangesOrNone() throws Exception {
        TableDefinition account = table(TableDefinitionTest.export().mappings().get(0));
        SchemaPlan plan = plan(account);
        // Something else takes the name of an index of the plan between planning and applying.
        POSTGRES.execute("CREATE SCHEMA salesforce", "CREATE TABLE salesforce.hc_idx_account_name (x int)");

        SQLException failure = catchThrowableOfType(SQLException.class, () -> apply(plan));

        assertThat(failure.getMessage()).startsWith("Could not create index hc_idx_account_name on salesforce.account"
                + " (name) (nothing of this plan was applied): ");
        assertThat(catalog("salesforce").table("account")).isEmpty();
    }

    private static JsonNode field(JsonNode describe, String name) {
        for (JsonNode field : describe.path("fields")) {
            if (field.path("name").asText().equals(name)) {
                return field;
            }
        }
        throw new AssertionError("no field " + name);
    }
}
