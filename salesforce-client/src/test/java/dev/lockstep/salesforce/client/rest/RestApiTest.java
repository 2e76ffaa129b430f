package dev.lockstep.salesforce.client.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.emulator.org.WriteContext;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.auth.SalesforceSession;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import dev.lockstep.salesforce.client.http.SalesforceHttp;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The REST resources against the emulator over real sockets. */
class RestApiTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static RestApi rest;
    private static SalesforceHttp http;

    @BeforeAll
    static void connect() {
        Emulator emulator = SALESFORCE.emulator();
        http = new SalesforceHttp(new SalesforceSession(new Credentials.ClientCredentials(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET), CLIENT,
                Duration.ofSeconds(10), Clock.systemUTC()), CLIENT, RetryPolicy.defaults(), Duration.ofSeconds(30),
                "lockstep-test");
        rest = new RestApi(http, "61.0");
    }

    private static ObjectNode fields(Map<String, Object> values) {
        return JSON.valueToTree(values);
    }

    private static ObjectNode record(String type, Map<String, Object> values) {
        ObjectNode record = fields(values);
        record.putObject("attributes").put("type", type);
        return record;
    }

    @Test
    void discoversVersionsAndDescribesObjectsOnce() {
        assertThat(rest.versions()).contains("50.0", "61.0", "64.0");
        assertThat(rest.describeGlobal().path("sobjects").size()).isGreaterThanOrEqualTo(14);
        long before = http.metrics().calls("rest.describe");

        JsonNode first = rest.describe("Account");
        JsonNode again = rest.describe("Account");

        assertThat(again).isSameAs(first);
        assertThat(http.metrics().calls("rest.describe") - before).isEqualTo(1);
        assertThat(rest.refreshDescribe("Account")).isNotSameAs(first);
    }

    @Test
    void queryPagesLazilyOverNextRecordsUrl(Emulator emulator) {
        emulator.org().write(WriteContext.system(emulator.adminUserId()), txn -> {
            for (int i = 0; i < 4_500; i++) {
                txn.create("Campaign", Map.of("Name", "paged-" + i));
            }
            return null;
        });
        long callsBefore = http.metrics().calls("rest.query");

        Iterator<JsonNode> records = rest.query("SELECT Id, Name FROM Campaign WHERE Name LIKE 'paged-%'");
        assertThat(records.hasNext()).isTrue();
        assertThat(http.metrics().calls("rest.query") - callsBefore).as("one page fetched").isEqualTo(1);
        int count = 0;
        while (records.hasNext()) {
            assertThat(records.next().path("Name").asText()).startsWith("paged-");
            count++;
        }

        assertThat(count).isEqualTo(4_500);
        assertThat(http.metrics().calls("rest.query") - callsBefore).as("three pages").isEqualTo(3);
        assertThat(rest.count("SELECT COUNT() FROM Campaign WHERE Name LIKE 'paged-%'")).isEqualTo(4_500);
    }

    @Test
    void crudAndUpsertByExternalId() {
        String id = rest.create("Account", fields(Map.of("Name", "Crud")));
        rest.update("Account", id, fields(Map.of("Name", "Crud 2")));
        assertThat(rest.retrieve("Account", id, List.of("Name")).orElseThrow().path("Name").asText())
                .isEqualTo("Crud 2");

        RestApi.SaveResult created = rest.upsert("Account", "External_Id__c", "REST-1", fields(Map.of("Name", "U")));
        RestApi.SaveResult updated = rest.upsert("Account", "External_Id__c", "REST-1", fields(Map.of("Name", "V")));
        assertThat(created.created()).isTrue();
        assertThat(updated.created()).isFalse();
        assertThat(updated.id()).isEqualTo(created.id());

        rest.delete("Account", id);
        assertThat(catchThrowableOfType(SalesforceException.class, () -> rest.retrieve("Account", id, List.of()))
                .errorCode()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(rest.retrieve("Account", "001000000000000AAA", List.of())).isEmpty();
        assertThat(rest.queryAll("SELECT Id FROM Account WHERE IsDeleted = true AND Id = " + Soql.literal(id))
                .hasNext()).isTrue();
    }

    @Test
    void upsertMatchingSeveralRecordsIsAPerRecordError() {
        rest.create("Sync_Sample__c", fields(Map.of("Name", "a", "Legacy_Id__c", "DUP")));
        rest.create("Sync_Sample__c", fields(Map.of("Name", "b", "Legacy_Id__c", "DUP")));

        SalesforceException e = catchThrowableOfType(SalesforceException.class,
                () -> rest.upsert("Sync_Sample__c", "Legacy_Id__c", "DUP", fields(Map.of("Name", "c"))));

        assertThat(e.category()).isEqualTo(ErrorCategory.PER_RECORD);
        assertThat(e.httpStatus()).isEqualTo(300);
    }

    @Test
    void collectionsReportEachRecord() {
        List<RestApi.SaveResult> created = rest.createAll(List.of(record("Contact", Map.of("LastName", "C1")),
                record("Contact", Map.of("FirstName", "no last name")), record("Contact", Map.of("LastName", "C3"))),
                false);

        assertThat(created).extracting(RestApi.SaveResult::success).containsExactly(true, false, true);
        assertThat(created.get(1).errors().get(0).statusCode()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(created.get(1).errors().get(0).fields()).containsExactly("LastName");

        ObjectNode update = record("Contact", Map.of("LastName", "C1b"));
        update.put("id", created.get(0).id());
        assertThat(rest.updateAll(List.of(update), true)).allMatch(RestApi.SaveResult::success);
        List<RestApi.SaveResult> upserted = rest.upsertAll("Contact", "External_Id__c", List.of(
                record("Contact", Map.of("LastName", "X", "External_Id__c", "COL-1"))), false);
        assertThat(upserted.get(0).created()).isTrue();
        assertThat(rest.deleteAll(List.of(created.get(0).id(), created.get(2).id()), false))
                .allMatch(RestApi.SaveResult::success);

        List<ObjectNode> tooMany = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            tooMany.add(record("Contact", Map.of("LastName", "n")));
        }
        assertThatThrownBy(() -> rest.createAll(tooMany, false)).hasMessageContaining("at most 200");
    }

    @Test
    void replicationWindowsAndLimits(Emulator emulator) {
        String kept = rest.create("Lead", fields(Map.of("LastName", "L", "Company", "C")));
        String gone = rest.create("Lead", fields(Map.of("LastName", "G", "Company", "C")));
        rest.delete("Lead", gone);
        emulator.clock().advance(Duration.ofMinutes(2));
        Instant end = emulator.clock().instant();
        Instant start = end.minus(Duration.ofHours(1));

        assertThat(rest.updated("Lead", start, end).ids()).contains(kept).doesNotContain(gone);
        assertThat(rest.deleted("Lead", start, end).records()).extracting(RestApi.Deleted::id).contains(gone);
        assertThat(rest.limits().path("DailyApiRequests").path("Max").asLong()).isPositive();
    }

    @Test
    void hostileValuesStayValuesInsideSoql() {
        String hostile = "x' OR Name != 'y";
        rest.create("Product2", fields(Map.of("Name", hostile)));
        rest.create("Product2", fields(Map.of("Name", "innocent")));

        List<String> names = new ArrayList<>();
        rest.query("SELECT Name FROM Product2 WHERE Name = " + Soql.literal(hostile))
                .forEachRemaining(r -> names.add(r.path("Name").asText()));

        assertThat(names).containsExactly(hostile);
        Iterator<JsonNode> backslash = rest.query("SELECT Name FROM Product2 WHERE Name = "
                + Soql.literal("a\\' OR Name != 'b"));
        assertThat(backslash.hasNext()).isFalse();
    }

    @Test
    void recordsAreTypedByDescribe() {
        String id = rest.create("Sync_Sample__c", fields(Map.of("Name", "typed", "Amount__c", 19.999,
                "Due_Date__c", "2031-02-28", "Due_At__c", "2031-02-28T13:14:15.678Z", "Colors__c", "Red;Blue",
                "Flag__c", true, "Quantity__c", 3)));

        Iterator<Map<String, Object>> rows = rest.queryTyped("Sync_Sample__c", "SELECT Id, Name, Amount__c, "
                + "Due_Date__c, Due_At__c, Colors__c, Flag__c, Quantity__c FROM Sync_Sample__c WHERE Id = "
                + Soql.literal(id));
        Map<String, Object> row = rows.next();

        assertThat(rows.hasNext()).isFalse();
        assertThat(row).containsEntry("Amount__c", new BigDecimal("20.00"))
                .containsEntry("Due_Date__c", LocalDate.of(2031, 2, 28))
                .containsEntry("Due_At__c", Instant.parse("2031-02-28T13:14:15.678Z"))
                .containsEntry("Colors__c", List.of("Red", "Blue"))
                .containsEntry("Flag__c", true)
                .containsEntry("Quantity__c", 3);
        assertThat(rest.typed("Sync_Sample__c", rest.retrieve("Sync_Sample__c", id, List.of()).orElseThrow()))
                .containsEntry("Name", "typed");
    }

    @Test
    void blobsDownloadByTheirRecordUrlOrByObjectIdAndField(Emulator emulator) {
        byte[] content = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, (byte) 0xfe, '\n', (byte) 0xc3};
        String id = rest.create("Sync_Sample__c", fields(Map.of("Name", "blob",
                "Attachment__c", java.util.Base64.getEncoder().encodeToString(content))));
        String url = (String) rest.queryTyped("Sync_Sample__c", "SELECT Id, Attachment__c FROM Sync_Sample__c "
                + "WHERE Id = " + Soql.literal(id)).next().get("Attachment__c");
        long before = http.metrics().calls("rest.blob");

        assertThat(rest.blob(url)).isEqualTo(content);
        assertThat(rest.blob("Sync_Sample__c", id, "Attachment__c")).isEqualTo(content);
        assertThat(http.metrics().calls("rest.blob") - before).isEqualTo(2);

        emulator.faults().failWithStatus("rest.sobject", 1, 503);
        assertThat(rest.blob(url)).as("a 503 is retried").isEqualTo(content);
        assertThat(http.metrics().calls("rest.blob") - before).isEqualTo(4);
    }

    @Test
    void aNullBlobIsNotFoundAndForeignUrlsAreRefused() {
        String id = rest.create("Sync_Sample__c", fields(Map.of("Name", "no blob")));

        SalesforceException e = catchThrowableOfType(SalesforceException.class,
                () -> rest.blob("Sync_Sample__c", id, "Attachment__c"));
        assertThat(e.httpStatus()).isEqualTo(404);
        assertThat(e.errorCode()).isEqualTo("NOT_FOUND");
        assertThatThrownBy(() -> rest.blob("https://elsewhere.example.com/services/data/v61.0/sobjects/"
                + "Sync_Sample__c/" + id + "/Attachment__c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Not the URL of a blob");
        assertThatThrownBy(() -> rest.blob("/services/data/v61.0/query?q=SELECT+Id+FROM+Account"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rest.blob("Sync_Sample__c", "../../limits", "Attachment__c"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void soqlLiteralsForEveryKindOfValue() {
        assertThat(Soql.literal("it's")).isEqualTo("'it\\'s'");
        assertThat(Soql.literal("back\\slash\nline")).isEqualTo("'back\\\\slash\\nline'");
        assertThat(Soql.literal(null)).isEqualTo("null");
        assertThat(Soql.literal(true)).isEqualTo("true");
        assertThat(Soql.literal(new BigDecimal("1.50"))).isEqualTo("1.50");
        assertThat(Soql.literal(42)).isEqualTo("42");
        assertThat(Soql.literal(LocalDate.of(2024, 1, 31))).isEqualTo("2024-01-31");
        assertThat(Soql.literal(Instant.parse("2024-01-31T10:00:00Z"))).isEqualTo("2024-01-31T10:00:00.000Z");
        assertThat(Soql.list(List.of("a", "b'c"))).isEqualTo("('a', 'b\\'c')");
        assertThatThrownBy(() -> Soql.list(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(Soql.identifier("Owner.Name")).isEqualTo("Owner.Name");
        assertThatThrownBy(() -> Soql.identifier("Name FROM User")).hasMessageContaining("Not a SOQL identifier");
        assertThatThrownBy(() -> Soql.literal(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
