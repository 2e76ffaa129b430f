package dev.lockstep.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingCheck;
import dev.lockstep.cli.mapping.MappingFile;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.reconcile.RecordMerge.MissingReason;
import dev.lockstep.cli.testing.EmulatedOrg;
import dev.lockstep.cli.testing.PostgresServer;
import dev.lockstep.cli.testing.TableMirror;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.auth.Credentials;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reconcile against real parts: the emulator read through the client (REST and Bulk API 2.0) and a real Postgres
 * holding the tables a deployment makes, filled with the org's records as the sink writes them, then changed
 * behind the pipeline's back.
 */
class ReconcilerTest {

    @RegisterExtension
    static final EmulatedOrg ORG = new EmulatedOrg();

    @RegisterExtension
    static final PostgresServer POSTGRES = new PostgresServer();

    private static final String MAPPINGS = """
            {"version": 1, "mappings": [
              {"object_name": "Account", "config": {"access": "read_only",
                "fields": {"Name": {}, "AnnualRevenue": {}, "NumberOfEmployees": {}, "ParentId": {}}}},
              {"object_name": "Contact", "config": {"access": "read_only",
                "fields": {"LastName": {}, "Email": {}, "Birthdate": {}, "AccountId": {}}}}
            ]}""";

    private static SalesforceClient client;
    private static List<Mapping> mappings;
    private static final List<String> accounts = new ArrayList<>();
    private static final List<String> contacts = new ArrayList<>();

    @BeforeAll
    static void seed() throws Exception {
        client = SalesforceClient.create(SalesforceClient.Config.of(new Credentials.ClientCredentials(
                ORG.emulator().baseUri(), EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET)));
        MappingFile file = MappingFiles.parse(MAPPINGS, "test.json").file();
        mappings = MappingCheck.resolveAll(file, client.rest()::describe, "test.json").stream()
                .map(MappingCheck.Resolved::mapping).toList();
        for (int i = 0; i < 3; i++) {
            accounts.add(client.rest().create("Account", json(Map.of("Name", "Account " + i, "AnnualRevenue",
                    new BigDecimal(1000 + i), "NumberOfEmployees", 10 + i))));
        }
        for (int i = 0; i < 4; i++) {
            contacts.add(client.rest().create("Contact", json(Map.of("LastName", "Contact " + i, "Email",
                    "c" + i + "@example.com", "Birthdate", "1990-01-0" + (i + 1), "AccountId",
                    accounts.get(i % 3)))));
        }
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    private static ObjectNode json(Map<String, Object> fields) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        fields.forEach((k, v) -> {
            if (v instanceof BigDecimal d) {
                node.put(k, d);
            } else if (v instanceof Integer n) {
                node.put(k, n);
            } else {
                node.put(k, v.toString());
            }
        });
        return node;
    }

    /** Fresh tables holding every record as the sink writes it. */
    @BeforeEach
    void mirror() throws Exception {
        POSTGRES.execute("DROP SCHEMA IF EXISTS salesforce CASCADE");
        try (Connection c = POSTGRES.connection()) {
            for (Mapping mapping : mappings) {
                TableMirror.create(client, c, mapping);
            }
        }
    }

    private static Mapping mapping(String object) {
        return mappings.stream().filter(m -> m.objectName().equals(object)).findFirst().orElseThrow();
    }

    private static ObjectReport reconcile(String object, long bulkThreshold) throws SQLException {
        try (Connection c = POSTGRES.connection()) {
            return new Reconciler(client, c, mappings, new Reconciler.Options(10, bulkThreshold, Duration.ZERO))
                    .reconcile(mapping(object));
        }
    }

    @Test
    void tablesHoldingEveryRecordAsTheSinkWritesItAreEqual() throws Exception {
        ObjectReport account = reconcile("Account", 10_000);
        ObjectReport contact = reconcile("Contact", 10_000);

        assertThat(account.equal()).as("%s", ReconcilePrinter.json(List.of(account))).isTrue();
        assertThat(contact.equal()).as("%s", ReconcilePrinter.json(List.of(contact))).isTrue();
        assertThat(account.records().salesforceRecords()).isEqualTo(3);
        assertThat(contact.records().liveRows()).isEqualTo(4);
    }

    @Test
    void aBulkApiReadInIdOrderComparesTheSame() throws Exception {
        assertThat(reconcile("Contact", 0).equal()).isTrue();

        POSTGRES.execute("UPDATE salesforce.contact SET email = 'changed@example.com' WHERE sfid = '"
                + contacts.get(2) + "'");
        assertThat(reconcile("Contact", 0).records().fieldDifferences())
                .extracting(RecordMerge.FieldDifference::id, RecordMerge.FieldDifference::field)
                .containsExactly(tuple(contacts.get(2), "Email"));
    }

    @Test
    void changesBehindThePipelinesBackAreReportedEachWithItsRecordAndField() throws Exception {
        POSTGRES.execute(
                "UPDATE salesforce.contact SET lastname = 'Renamed', birthdate = '1980-12-31' WHERE sfid = '"
                        + contacts.get(0) + "'",
                "DELETE FROM salesforce.contact WHERE sfid = '" + contacts.get(1) + "'",
                "UPDATE salesforce.contact SET isdeleted = true WHERE sfid = '" + contacts.get(2) + "'",
                "INSERT INTO salesforce.contact (sfid, lastname, isdeleted) VALUES ('003000000000999AAA', 'Fake',"
                        + " false)",
                "INSERT INTO salesforce.contact (lastname) VALUES ('Not sent yet')",
                "UPDATE salesforce.account SET annualrevenue = 1002.5 WHERE sfid = '" + accounts.get(2) + "'",
                "DELETE FROM salesforce.account WHERE sfid = '" + accounts.get(0) + "'");

        ObjectReport contact = reconcile("Contact", 10_000);
        assertThat(contact.equal()).isFalse();
        assertThat(contact.records().missing()).extracting(RecordMerge.Missing::id, RecordMerge.Missing::reason)
                .containsExactlyInAnyOrder(tuple(contacts.get(1), MissingReason.NO_ROW),
                        tuple(contacts.get(2), MissingReason.SOFT_DELETED));
        assertThat(contact.records().extra()).containsExactly("003000000000999AAA");
        assertThat(contact.records().fieldDifferences())
                .extracting(RecordMerge.FieldDifference::id, RecordMerge.FieldDifference::field,
                        RecordMerge.FieldDifference::salesforce, RecordMerge.FieldDifference::postgres)
                .containsExactlyInAnyOrder(tuple(contacts.get(0), "LastName", "\"Contact 0\"", "\"Renamed\""),
                        tuple(contacts.get(0), "Birthdate", "1990-01-01", "1980-12-31"));
        assertThat(contact.records().differingRecords()).isEqualTo(1);
        assertThat(contact.rowsWithoutSfid()).isEqualTo(1);
        assertThat(contact.orphans().shown()).as("live contacts of the account whose row was deleted")
                .extracting(PostgresTable.Orphan::sfid, PostgresTable.Orphan::field, PostgresTable.Orphan::parentId)
                .containsExactlyInAnyOrder(tuple(contacts.get(0), "AccountId", accounts.get(0)),
                        tuple(contacts.get(3), "AccountId", accounts.get(0)));

        ObjectReport account = reconcile("Account", 10_000);
        assertThat(account.records().missing()).extracting(RecordMerge.Missing::id).containsExactly(accounts.get(0));
        assertThat(account.records().fieldDifferences()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(accounts.get(2));
            assertThat(d.field()).isEqualTo("AnnualRevenue");
            assertThat(d.salesforce()).isEqualTo("1002");
            assertThat(d.postgres()).isEqualTo("1002.5");
        });
    }

    @Test
    void duplicateSfidsAndMissingTablesAndColumnsAreReported() throws Exception {
        POSTGRES.execute("ALTER TABLE salesforce.account DROP CONSTRAINT hcu_idx_account_sfid",
                "INSERT INTO salesforce.account (sfid, name, isdeleted) SELECT sfid, name, false FROM"
                        + " salesforce.account WHERE sfid = '" + accounts.get(2) + "'",
                "ALTER TABLE salesforce.account DROP COLUMN numberofemployees");
        ObjectReport account = reconcile("Account", 10_000);
        assertThat(account.duplicates().shown()).extracting(PostgresTable.Duplicate::sfid, PostgresTable.Duplicate::rows)
                .containsExactly(tuple(accounts.get(2), 2L));
        assertThat(account.missingColumns()).containsExactly("NumberOfEmployees → numberofemployees");
        assertThat(account.equal()).isFalse();

        POSTGRES.execute("DROP TABLE salesforce.contact");
        assertThat(reconcile("Contact", 10_000).problem()).contains("salesforce.contact does not exist");
    }
}
