package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.PostgresExtension;
import dev.lockstep.it.harness.PostgresMirror;
import dev.lockstep.it.harness.PostgresSync;
import dev.lockstep.it.harness.SalesforceOrg;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every field type of the emulator's custom object {@code Sync_Sample__c}, end to end from Salesforce through the
 * source connector, Kafka and the Debezium JDBC sink into Postgres, twice: into {@code salesforce} with Heroku
 * Connect's column types and into {@code sfnative} with native types. Checks the tables' columns against the types
 * Heroku Connect creates (written out by hand from its type table) and every value against the org's: UTF-8 text
 * with accents and emoji byte-exact, currency to its scale, datetimes in UTC within 1 s, nulls kept, blobs as base64
 * text or as bytes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresTypesIT {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0));

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String OBJECT = "Sync_Sample__c";
    /** Every field of Sync_Sample__c but the compounds (synced through their components). */
    private static final List<String> FIELDS = List.of("Id", "OwnerId", "IsDeleted", "Name", "CreatedDate",
            "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp", "Text__c", "Text_Area__c",
            "Long_Text__c", "Status__c", "Colors__c", "Flag__c", "Quantity__c", "Ratio__c", "Amount__c",
            "Discount__c", "Due_Date__c", "Due_At__c", "Alarm_Time__c", "Email__c", "Phone__c", "Website__c",
            "Account__c", "Attachment__c", "Secret__c", "Address__Street__s", "Address__City__s",
            "Address__StateCode__s", "Address__PostalCode__s", "Address__CountryCode__s", "Location__Latitude__s",
            "Location__Longitude__s", "Total__c", "External_Id__c", "Code__c", "Legacy_Id__c");
    /** What Heroku Connect creates for Sync_Sample__c (its documented type table), column → format_type. */
    private static final Map<String, String> HEROKU_CONNECT_COLUMNS = new TreeMap<>(Map.ofEntries(
            Map.entry("id", "integer"),
            Map.entry("sfid", "character varying(18)"),
            Map.entry("ownerid", "character varying(18)"),
            Map.entry("isdeleted", "boolean"),
            Map.entry("name", "character varying(80)"),
            Map.entry("createddate", "timestamp without time zone"),
            Map.entry("createdbyid", "character varying(18)"),
            Map.entry("lastmodifieddate", "timestamp without time zone"),
            Map.entry("lastmodifiedbyid", "character varying(18)"),
            Map.entry("systemmodstamp", "timestamp without time zone"),
            Map.entry("text__c", "character varying(255)"),
            Map.entry("text_area__c", "character varying(255)"),
            Map.entry("long_text__c", "text"),
            Map.entry("status__c", "character varying(255)"),
            Map.entry("colors__c", "character varying(4099)"),
            Map.entry("flag__c", "boolean"),
            Map.entry("quantity__c", "integer"),
            Map.entry("ratio__c", "double precision"),
            Map.entry("amount__c", "double precision"),
            Map.entry("discount__c", "double precision"),
            Map.entry("due_date__c", "date"),
            Map.entry("due_at__c", "timestamp without time zone"),
            Map.entry("alarm_time__c", "time without time zone"),
            Map.entry("email__c", "character varying(80)"),
            Map.entry("phone__c", "character varying(40)"),
            Map.entry("website__c", "character varying(255)"),
            Map.entry("account__c", "character varying(18)"),
            Map.entry("attachment__c", "text"),
            Map.entry("secret__c", "character varying(175)"),
            Map.entry("address__street__s", "character varying(255)"),
            Map.entry("address__city__s", "character varying(40)"),
            Map.entry("address__statecode__s", "character varying(255)"),
            Map.entry("address__postalcode__s", "character varying(20)"),
            Map.entry("address__countrycode__s", "character varying(255)"),
            Map.entry("location__latitude__s", "double precision"),
            Map.entry("location__longitude__s", "double precision"),
            Map.entry("total__c", "double precision"),
            Map.entry("external_id__c", "character varying(80)"),
            Map.entry("code__c", "character varying(20)"),
            Map.entry("legacy_id__c", "character varying(40)"),
            Map.entry("_hc_lastop", "character varying(32)"),
            Map.entry("_hc_err", "text")));
    private static final byte[] BLOB = {0, 1, 2, (byte) 0xff, (byte) 0xfe, (byte) 0x80, 'P', 'K', 3, 4};

    private static SalesforceOrg org;
    private static PostgresSync sync;
    private static PostgresMirror mirror;
    private static String full;
    private static String empty;

    @BeforeAll
    static void seedAndDeploy() throws Exception {
        org = new SalesforceOrg(SALESFORCE.emulator());
        mirror = new PostgresMirror(POSTGRES);
        String account = org.create("Account", Map.of("Name", "Parent Ltd"));
        full = org.create(OBJECT, everyField(account, "Zoë Ågren — 李伟 😀🚀", new BigDecimal("9876543.21")));
        Map<String, Object> onlyName = new HashMap<>();
        onlyName.put("Name", "Nothing else");
        empty = org.create(OBJECT, onlyName);

        String fields = FIELDS.stream().map(f -> "\"" + f + "\": {}").reduce((a, b) -> a + ", " + b).orElseThrow();
        sync = PostgresSync.deploy("types", """
                {"version": 1, "mappings": [
                  {"object_name": "Sync_Sample__c", "config": {"access": "read_only", "fields": {%s},
                   "indexes": {"External_Id__c": {"unique": true}}}},
                  {"object_name": "Sync_Sample__c", "config": {"access": "read_only", "fields": {%s},
                   "schema": "sfnative", "schema_style": "native"}}
                ]}""".formatted(fields, fields), org, POSTGRES, CONNECT, Map.of());
    }

    @AfterAll
    static void close() {
        if (org != null) {
            org.close();
        }
    }

    private static Map<String, Object> everyField(String account, String name, BigDecimal amount) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("Name", name);
        r.put("Text__c", "Ça va? " + "é".repeat(248));
        r.put("Text_Area__c", "two\nlines ✓");
        r.put("Long_Text__c", "Ünïcödé 🎉 ".repeat(800));
        r.put("Status__c", "Active");
        r.put("Colors__c", "Red;Blue");
        r.put("Flag__c", true);
        r.put("Quantity__c", 12);
        r.put("Ratio__c", new BigDecimal("1234.567891"));
        r.put("Amount__c", amount);
        r.put("Discount__c", new BigDecimal("12.34"));
        r.put("Due_Date__c", "2024-02-29");
        r.put("Due_At__c", "2026-11-21T13:45:30.123Z");
        r.put("Alarm_Time__c", "23:59:58.250Z");
        r.put("Email__c", "zoe@example.com");
        r.put("Phone__c", "+33 1 23 45 67 89");
        r.put("Website__c", "https://example.com/é");
        r.put("Account__c", account);
        r.put("Attachment__c", Base64.getEncoder().encodeToString(BLOB));
        r.put("Secret__c", "s3cr3t");
        r.put("Address__Street__s", "1 rue de l'Église");
        r.put("Address__City__s", "Besançon");
        r.put("Address__PostalCode__s", "25000");
        r.put("Address__CountryCode__s", "FR");
        r.put("Location__Latitude__s", new BigDecimal("47.237829000000001"));
        r.put("Location__Longitude__s", new BigDecimal("6.024053900000000"));
        r.put("External_Id__c", "EXT-" + amount);
        r.put("Code__c", "C-" + amount);
        r.put("Legacy_Id__c", "L-" + amount);
        return r;
    }

    private static void awaitBothTablesMatchTheOrg(String when) {
        awaitBothTablesMatchTheOrg(when, FIELDS);
    }

    private static void awaitBothTablesMatchTheOrg(String when, List<String> fields) {
        for (String schema : List.of("salesforce", "sfnative")) {
            Mapping mapping = sync.mapping(OBJECT, schema);
            Eventually.until(mapping.qualifiedTable() + " to match Salesforce " + when, BOUND,
                    () -> mirror.differencesFrom(mapping, org.records(OBJECT), fields), List::isEmpty);
        }
    }

    @Test
    @Order(1)
    void herokuConnectStyleTableHasHerokuConnectsColumnTypes() throws Exception {
        awaitBothTablesMatchTheOrg("after the snapshot");

        assertThat(new TreeMap<>(mirror.columns("salesforce", "sync_sample__c"))).isEqualTo(HEROKU_CONNECT_COLUMNS);
        assertThat(POSTGRES.query("SELECT indexname FROM pg_indexes WHERE schemaname = 'salesforce'"
                + " AND tablename = 'sync_sample__c' ORDER BY indexname"))
                .extracting(row -> row.get("indexname"))
                .containsExactly("hc_idx_sync_sample__c_systemmodstamp", "hcu_idx_sync_sample__c_external_id__c",
                        "hcu_idx_sync_sample__c_sfid", "sync_sample__c_pkey");
    }

    @Test
    @Order(2)
    void nativeStyleTableKeepsPrecisionZonesListsAndBytes() throws Exception {
        awaitBothTablesMatchTheOrg("after the snapshot");

        Map<String, String> columns = mirror.columns("sfnative", "sync_sample__c");
        assertThat(columns).containsEntry("amount__c", "numeric(16,2)")
                .containsEntry("ratio__c", "numeric(18,6)")
                .containsEntry("due_at__c", "timestamp with time zone")
                .containsEntry("colors__c", "text[]")
                .containsEntry("attachment__c", "bytea")
                .containsEntry("sfid", "character varying(18)");
        Map<String, Object> row = mirror.rows(sync.mapping(OBJECT, "sfnative")).get(full);
        assertThat(row.get("amount__c")).isEqualTo(new BigDecimal("9876543.21"));
        assertThat(row.get("colors__c")).isEqualTo(List.of("Red", "Blue"));
        assertThat((byte[]) row.get("attachment__c")).isEqualTo(BLOB);
        assertThat(row.get("due_at__c")).isEqualTo(Instant.parse("2026-11-21T13:45:30.123Z"));
    }

    @Test
    @Order(3)
    void valuesArriveExactlyAndNullsStayNull() throws Exception {
        awaitBothTablesMatchTheOrg("after the snapshot");

        Map<String, Object> row = mirror.rows(sync.mapping(OBJECT, "salesforce")).get(full);
        assertThat(row.get("name")).isEqualTo("Zoë Ågren — 李伟 😀🚀");
        assertThat(row.get("amount__c")).isEqualTo(9876543.21);
        assertThat(row.get("due_date__c")).isEqualTo(LocalDate.parse("2024-02-29"));
        assertThat(row.get("due_at__c")).as("UTC wall-clock time in a timestamp column")
                .isEqualTo(Instant.parse("2026-11-21T13:45:30.123Z"));
        assertThat(row.get("alarm_time__c")).isEqualTo(LocalTime.parse("23:59:58.250"));
        assertThat(row.get("colors__c")).isEqualTo("Red;Blue");
        assertThat(row.get("attachment__c")).isEqualTo(Base64.getEncoder().encodeToString(BLOB));
        assertThat(row.get("isdeleted")).isEqualTo(false);
        // INSERTED by the snapshot, or UPDATED by the re-read of records changed while it ran (created just before).
        assertThat(row.get("_hc_lastop")).isIn("INSERTED", "UPDATED");
        assertThat(row.get("id")).isNotNull();

        Map<String, Object> nulls = mirror.rows(sync.mapping(OBJECT, "salesforce")).get(empty);
        List<String> notNull = new ArrayList<>();
        for (String column : List.of("text__c", "long_text__c", "colors__c", "quantity__c", "amount__c",
                "due_date__c", "due_at__c", "alarm_time__c", "account__c", "attachment__c", "location__latitude__s")) {
            if (nulls.get(column) != null) {
                notNull.add(column + "=" + nulls.get(column));
            }
        }
        assertThat(notNull).as("columns of a record whose fields are null").isEmpty();
    }

    @Test
    @Order(4)
    void changesWhileStreamingKeepEveryTypeExact() throws Exception {
        String account = org.create("Account", Map.of("Name", "Second parent"));
        String created = org.create(OBJECT, everyField(account, "Créé en direct ☕", new BigDecimal("0.01")));
        org.update(OBJECT, full, Map.of("Amount__c", new BigDecimal("1234567.89"), "Colors__c", "Green;Yellow;Red",
                "Due_At__c", "2027-01-01T00:00:00.999Z", "Attachment__c", Base64.getEncoder().encodeToString(
                        new byte[] {9, 8, 7})));
        Map<String, Object> nulling = new HashMap<>();
        nulling.put("Email__c", null);
        nulling.put("Long_Text__c", null);
        org.update(OBJECT, created, nulling);

        // Change events never carry formula fields: in update mode partial (this test's) Total__c keeps the value
        // of the last read; update mode full re-reads it (PostgresSyncIT).
        awaitBothTablesMatchTheOrg("after a create and updates while streaming",
                FIELDS.stream().filter(f -> !f.equals("Total__c")).toList());
        Map<String, Object> row = mirror.rows(sync.mapping(OBJECT, "sfnative")).get(full);
        assertThat(row.get("amount__c")).isEqualTo(new BigDecimal("1234567.89"));
        assertThat(row.get("colors__c")).isEqualTo(List.of("Green", "Yellow", "Red"));
        assertThat(mirror.rows(sync.mapping(OBJECT, "salesforce")).get(full).get("_hc_lastop")).isEqualTo("UPDATED");
    }
}
