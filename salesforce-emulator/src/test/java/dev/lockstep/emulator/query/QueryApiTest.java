package dev.lockstep.emulator.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.WriteContext;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The REST query resources over real sockets: JSON shapes, paging, cursors, the recycle bin and errors. */
class QueryApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V = "/services/data/v60.0";
    private static final int PAGED = 4500;

    private static Emulator emulator;
    private static String acme;
    private static String jane;

    @BeforeAll
    static void start() {
        emulator = Emulator.start(EmulatorConfig.defaults());
        write(txn -> {
            acme = txn.create("Account", values("Name", "Acme", "BillingCity", "Paris", "BillingPostalCode", "75001",
                    "AnnualRevenue", new BigDecimal("1000"), "NumberOfEmployees", 12));
            txn.create("Account", values("Name", "Lonely"));
            jane = txn.create("Contact", values("FirstName", "Jane", "LastName", "Doe", "AccountId", acme));
            txn.create("Contact", values("FirstName", "John", "LastName", "Roe", "AccountId", acme));
            txn.create("Contact", values("LastName", "Orphan"));
            txn.create("Task", values("Subject", "Call Jane", "WhoId", jane, "WhatId", acme));
            txn.create("Sync_Sample__c", values("Name", "blob", "Attachment__c", new byte[] {1, 2, 3},
                    "Due_At__c", Instant.parse("2013-05-20T20:49:32Z"), "Amount__c", new BigDecimal("12.5"),
                    "Flag__c", true, "Account__c", acme));
            return null;
        });
        write(txn -> {
            for (int i = 0; i < PAGED; i++) {
                txn.create("Sync_Sample__c", values("Name", "row " + i, "Text__c", "paged", "Quantity__c", i));
            }
            return null;
        });
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    // ------------------------------------------------------------------------------------------ record shape

    @Test
    void recordsCarryAttributesAndNestedParentsInDescribeCase() throws Exception {
        JsonNode body = ok(query("select id, lastname, account.name, ACCOUNT.owner.name, CreatedDate from contact"
                + " where LastName = 'Doe'"));

        assertThat(body.get("totalSize").asInt()).isEqualTo(1);
        assertThat(body.get("done").asBoolean()).isTrue();
        assertThat(body.has("nextRecordsUrl")).isFalse();
        JsonNode record = body.get("records").get(0);
        assertThat(fieldNames(record)).containsExactly("attributes", "Id", "LastName", "Account", "CreatedDate");
        assertThat(record.get("attributes").get("type").asText()).isEqualTo("Contact");
        assertThat(record.get("attributes").get("url").asText()).isEqualTo(V + "/sobjects/Contact/" + jane);
        assertThat(record.get("Id").asText()).isEqualTo(jane);
        JsonNode account = record.get("Account");
        assertThat(fieldNames(account)).containsExactly("attributes", "Name", "Owner");
        assertThat(account.get("attributes").get("type").asText()).isEqualTo("Account");
        assertThat(account.get("attributes").get("url").asText()).isEqualTo(V + "/sobjects/Account/" + acme);
        assertThat(account.get("Name").asText()).isEqualTo("Acme");
        assertThat(account.get("Owner").get("attributes").get("type").asText()).isEqualTo("User");
        assertThat(account.get("Owner").get("Name").asText()).isEqualTo("Admin Emulator");
        assertThat(record.get("CreatedDate").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
    }

    @Test
    void anEmptyParentIsNull() throws Exception {
        JsonNode record = ok(query("SELECT LastName, Account.Name FROM Contact WHERE LastName = 'Orphan'"))
                .get("records").get(0);

        assertThat(record.has("Account")).isTrue();
        assertThat(record.get("Account").isNull()).isTrue();
    }

    @Test
    void polymorphicParentsAreNameObjectsPointingAtTheirRealType() throws Exception {
        JsonNode record = ok(query("SELECT Who.Name, What.Name FROM Task WHERE Subject = 'Call Jane'"))
                .get("records").get(0);

        assertThat(record.get("Who").get("attributes").get("type").asText()).isEqualTo("Name");
        assertThat(record.get("Who").get("attributes").get("url").asText()).isEqualTo(V + "/sobjects/Contact/" + jane);
        assertThat(record.get("Who").get("Name").asText()).isEqualTo("Jane Doe");
        assertThat(record.get("What").get("attributes").get("url").asText()).isEqualTo(V + "/sobjects/Account/" + acme);
    }

    @Test
    void childSubqueriesAreNestedQueryResultsOrNull() throws Exception {
        JsonNode records = ok(query("SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account"
                + " WHERE Name IN ('Acme', 'Lonely') ORDER BY Name")).get("records");

        JsonNode contacts = records.get(0).get("Contacts");
        assertThat(contacts.get("totalSize").asInt()).isEqualTo(2);
        assertThat(contacts.get("done").asBoolean()).isTrue();
        assertThat(contacts.get("records").get(0).get("attributes").get("type").asText()).isEqualTo("Contact");
        assertThat(contacts.get("records").get(0).get("LastName").asText()).isEqualTo("Doe");
        assertThat(contacts.get("records").get(1).get("LastName").asText()).isEqualTo("Roe");
        assertThat(records.get(1).get("Contacts").isNull()).isTrue();
    }

    @Test
    void valuesUseSalesforceWireFormats() throws Exception {
        JsonNode record = ok(query("SELECT Attachment__c, Due_At__c, Amount__c, Flag__c, Quantity__c, Due_Date__c"
                + " FROM Sync_Sample__c WHERE Name = 'blob'")).get("records").get(0);
        String id = record.get("attributes").get("url").asText().replaceAll(".*/", "");

        assertThat(record.get("Attachment__c").asText())
                .isEqualTo(V + "/sobjects/Sync_Sample__c/" + id + "/Attachment__c");
        assertThat(record.get("Due_At__c").asText()).isEqualTo("2013-05-20T20:49:32.000+0000");
        assertThat(record.get("Amount__c").isNumber()).isTrue();
        assertThat(record.get("Amount__c").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(record.get("Flag__c").isBoolean()).isTrue();
        assertThat(record.get("Quantity__c").isNull()).isTrue();
        assertThat(record.get("Due_Date__c").isNull()).isTrue();
    }

    @Test
    void compoundFieldsAreObjects() throws Exception {
        JsonNode address = ok(query("SELECT BillingAddress FROM Account WHERE Name = 'Acme'")).get("records").get(0)
                .get("BillingAddress");

        assertThat(address.isObject()).isTrue();
        assertThat(address.get("city").asText()).isEqualTo("Paris");
        assertThat(address.get("postalCode").asText()).isEqualTo("75001");
        assertThat(address.get("street").isNull()).isTrue();
    }

    @Test
    void countOnlyQueriesAnswerInTotalSize() throws Exception {
        JsonNode body = ok(query("SELECT COUNT() FROM Contact WHERE AccountId != null"));

        assertThat(body.get("totalSize").asInt()).isEqualTo(2);
        assertThat(body.get("done").asBoolean()).isTrue();
        assertThat(body.get("records").size()).isZero();
    }

    @Test
    void aggregateRowsAreAggregateResults() throws Exception {
        JsonNode body = ok(query("SELECT COUNT(Id), MAX(NumberOfEmployees) most FROM Account"));

        JsonNode row = body.get("records").get(0);
        assertThat(fieldNames(row)).containsExactly("attributes", "expr0", "most");
        assertThat(fieldNames(row.get("attributes"))).containsExactly("type");
        assertThat(row.get("attributes").get("type").asText()).isEqualTo("AggregateResult");
        assertThat(row.get("expr0").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(row.get("most").asInt()).isEqualTo(12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/query?q=", "/query/?q=", "//query//?q="})
    void theQueryPathWorksWithOrWithoutATrailingSlash(String path) throws Exception {
        HttpResponse<String> response = get(V + path + encode("SELECT Name FROM Account WHERE Name = 'Acme'"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        assertThat(response.headers().firstValue("Sforce-Limit-Info")).isPresent();
        assertThat(JSON.readTree(response.body()).get("records").get(0).get("Name").asText()).isEqualTo("Acme");
    }

    @Test
    void queriesCountAsRestQueryCalls() throws Exception {
        long before = emulator.counters().get("rest.query");
        ok(query("SELECT Id FROM Account LIMIT 1"));

        assertThat(emulator.counters().get("rest.query")).isEqualTo(before + 1);
    }

    // ---------------------------------------------------------------------------------------------- paging

    @Test
    void largeResultsPageThroughNextRecordsUrlInBatchesOf2000() throws Exception {
        String soql = "SELECT Id, Quantity__c FROM Sync_Sample__c WHERE Text__c = 'paged' ORDER BY Quantity__c";
        List<JsonNode> pages = pages(query(soql), null);

        assertThat(pages).hasSize(3);
        assertThat(pages).extracting(p -> p.get("records").size()).containsExactly(2000, 2000, 500);
        assertThat(pages).extracting(p -> p.get("totalSize").asInt()).containsOnly(PAGED);
        assertThat(pages).extracting(p -> p.get("done").asBoolean()).containsExactly(false, false, true);
        assertThat(pages.get(0).get("nextRecordsUrl").asText()).matches(V.replace(".", "\\.")
                + "/query/01g[0-9A-Za-z]{15}-2000");
        assertThat(pages.get(1).get("nextRecordsUrl").asText()).endsWith("-4000");
        assertThat(pages.get(2).has("nextRecordsUrl")).isFalse();
        Set<String> ids = new HashSet<>();
        int expected = 0;
        for (JsonNode page : pages) {
            for (JsonNode record : page.get("records")) {
                ids.add(record.get("Id").asText());
                assertThat(record.get("Quantity__c").asInt()).isEqualTo(expected++);
            }
        }
        assertThat(ids).hasSize(PAGED);
    }

    @Test
    void batchSizeOptionSetsThePageSizeWithin200And2000() throws Exception {
        String soql = "SELECT Id FROM Sync_Sample__c WHERE Text__c = 'paged'";

        assertThat(pages(query(soql, "batchSize=1000"), "batchSize=1000")).extracting(p -> p.get("records").size())
                .containsExactly(1000, 1000, 1000, 1000, 500);
        assertThat(ok(query(soql, "batchSize=50")).get("records").size()).isEqualTo(200);
        assertThat(ok(query(soql, "batchSize=5000")).get("records").size()).isEqualTo(2000);
    }

    @Test
    void aCursorIsASnapshotOfTheRowsAtQueryTime() throws Exception {
        List<String> ids = new ArrayList<>();
        write(txn -> {
            for (int i = 0; i < 300; i++) {
                ids.add(txn.create("Sync_Sample__c", values("Name", "snap " + i, "Text__c", "snapshot")));
            }
            return null;
        });
        JsonNode first = ok(query("SELECT Id, Name FROM Sync_Sample__c WHERE Text__c = 'snapshot'", "batchSize=200"));
        write(txn -> {
            txn.update(ids.get(250), values("Name", "renamed"));
            txn.delete(ids.get(299));
            txn.create("Sync_Sample__c", values("Name", "late", "Text__c", "snapshot"));
            return null;
        });

        JsonNode second = ok(get(first.get("nextRecordsUrl").asText()));

        assertThat(second.get("totalSize").asInt()).isEqualTo(300);
        assertThat(second.get("records").size()).isEqualTo(100);
        assertThat(second.get("records").get(50).get("Name").asText()).isEqualTo("snap 250");
        assertThat(second.get("records").get(99).get("Id").asText()).isEqualTo(ids.get(299));
    }

    @Test
    void aCursorExpiresAfter15MinutesIdleOnTheOrgClock() throws Exception {
        String soql = "SELECT Id FROM Sync_Sample__c WHERE Text__c = 'paged'";
        JsonNode first = ok(query(soql));
        String next = first.get("nextRecordsUrl").asText();

        emulator.clock().advance(Duration.ofMinutes(14));
        JsonNode second = ok(get(next));
        emulator.clock().advance(Duration.ofMinutes(14));
        ok(get(second.get("nextRecordsUrl").asText()));
        emulator.clock().advance(Duration.ofMinutes(16));

        HttpResponse<String> expired = get(second.get("nextRecordsUrl").asText());
        assertError(expired, 400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }

    @Test
    void aUserHoldsAtMostTenCursorsAndTheOldestIsReleased() throws Exception {
        String soql = "SELECT Id FROM Sync_Sample__c WHERE Text__c = 'paged'";
        List<String> next = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            next.add(ok(query(soql)).get("nextRecordsUrl").asText());
        }

        assertError(get(next.get(0)), 400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        assertThat(get(next.get(1)).statusCode()).isEqualTo(200);
        assertThat(get(next.get(10)).statusCode()).isEqualTo(200);
    }

    @Test
    void aCursorBelongsToTheUserWhoOpenedIt() throws Exception {
        String next = ok(query("SELECT Id FROM Sync_Sample__c WHERE Text__c = 'paged'")).get("nextRecordsUrl")
                .asText();
        String otherToken = emulator.sessions().issue(emulator.integrationUserId(), "integration@lockstep.dev",
                emulator.config().clientId()).accessToken();

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUri() + next))
                .header("Authorization", "Bearer " + otherToken).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertError(response, 400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/query/01gLk0000000000AAA-2000", "/query/nonsense", "/query/01g-x", "/queryAll/-5"})
    void unknownLocatorsAreInvalid(String path) throws Exception {
        assertError(get(V + path), 400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }

    // ----------------------------------------------------------------------------------------- recycle bin

    @Test
    void queryHidesTheRecycleBinAndQueryAllShowsIt() throws Exception {
        String doomed = write(txn -> txn.create("Account", values("Name", "Doomed Inc")));
        write(txn -> {
            txn.delete(doomed);
            return null;
        });
        String soql = "SELECT Id, Name, IsDeleted FROM Account WHERE Name = 'Doomed Inc'";

        assertThat(ok(query(soql)).get("totalSize").asInt()).isZero();
        JsonNode all = ok(get(V + "/queryAll?q=" + encode(soql)));
        assertThat(all.get("totalSize").asInt()).isEqualTo(1);
        assertThat(all.get("records").get(0).get("IsDeleted").asBoolean()).isTrue();
        assertThat(all.get("records").get(0).get("Id").asText()).isEqualTo(doomed);
        assertThat(ok(get(V + "/queryAll/?q=" + encode("SELECT COUNT() FROM Account WHERE IsDeleted = true")))
                .get("totalSize").asInt()).isEqualTo(1);
    }

    @Test
    void queryAllCursorsPageUnderQueryAndUnderQueryAll() throws Exception {
        String soql = "SELECT Id FROM Sync_Sample__c WHERE Text__c = 'paged'";
        JsonNode first = ok(get(V + "/queryAll?q=" + encode(soql)));
        String next = first.get("nextRecordsUrl").asText();

        assertThat(next).contains("/query/01g");
        assertThat(ok(get(next)).get("records").size()).isEqualTo(2000);
        assertThat(ok(get(next.replace("/query/", "/queryAll/"))).get("records").size()).isEqualTo(2000);
    }

    // --------------------------------------------------------------------------------------- relative dates

    @Test
    void relativeDatesFollowTheOrgClock() throws Exception {
        LocalDate today = LocalDate.ofInstant(emulator.clock().instant(), ZoneOffset.UTC);
        write(txn -> {
            txn.create("Sync_Sample__c", values("Name", "due yesterday", "Text__c", "dates", "Due_Date__c",
                    today.minusDays(1)));
            txn.create("Sync_Sample__c", values("Name", "due today", "Text__c", "dates", "Due_Date__c", today,
                    "Due_At__c", today.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(60)));
            txn.create("Sync_Sample__c", values("Name", "due tomorrow", "Text__c", "dates", "Due_Date__c",
                    today.plusDays(1)));
            return null;
        });
        String where = "SELECT Name FROM Sync_Sample__c WHERE Text__c = 'dates' AND ";

        assertThat(names(where + "Due_Date__c = TODAY")).containsExactly("due today");
        assertThat(names(where + "Due_Date__c = YESTERDAY")).containsExactly("due yesterday");
        assertThat(names(where + "Due_Date__c = LAST_N_DAYS:1 ORDER BY Name")).containsExactly("due today",
                "due yesterday");
        assertThat(names(where + "Due_At__c = TODAY")).containsExactly("due today");
        assertThat(names(where + "Due_Date__c = " + today)).containsExactly("due today");

        emulator.clock().advance(Duration.ofDays(1));

        assertThat(names(where + "Due_Date__c = TODAY")).containsExactly("due tomorrow");
        assertThat(names(where + "Due_At__c = YESTERDAY")).containsExactly("due today");
    }

    // ---------------------------------------------------------------------------------------------- errors

    @Test
    void badSoqlIsAMalformedQueryError() throws Exception {
        HttpResponse<String> response = query("SELECT Id FROM Account WHERE");

        assertError(response, 400, "MALFORMED_QUERY", "\nSELECT Id FROM Account WHERE\n                            ^\n"
                + "ERROR at Row:1:Column:29\nunexpected token: '<EOF>'");
        assertThat(response.headers().firstValue("Sforce-Limit-Info")).isPresent();
    }

    @Test
    void unknownFieldsAndObjectsAreInvalidFieldAndInvalidType() throws Exception {
        HttpResponse<String> field = query("SELECT Id, Foo FROM Account");
        assertThat(field.statusCode()).isEqualTo(400);
        assertThat(error(field).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(error(field).get("message").asText()).contains("No such column 'Foo' on entity 'Account'.");

        HttpResponse<String> type = query("SELECT Id FROM Foo__c");
        assertThat(type.statusCode()).isEqualTo(400);
        assertThat(error(type).get("errorCode").asText()).isEqualTo("INVALID_TYPE");
        assertThat(error(type).get("message").asText()).contains("sObject type 'Foo__c' is not supported.");
    }

    @Test
    void fieldsAllNeedsALimitOfAtMost200() throws Exception {
        JsonNode record = ok(query("SELECT FIELDS(ALL) FROM Account WHERE Name = 'Acme' LIMIT 200"))
                .get("records").get(0);
        assertThat(fieldNames(record)).startsWith("attributes", "Id", "IsDeleted")
                .contains("BillingAddress", "External_Id__c", "SystemModstamp");
        assertThat(record.get("BillingAddress").get("city").asText()).isEqualTo("Paris");

        HttpResponse<String> unbounded = query("SELECT FIELDS(ALL) FROM Account");
        assertThat(unbounded.statusCode()).isEqualTo(400);
        assertThat(error(unbounded).get("errorCode").asText()).isEqualTo("MALFORMED_QUERY");
        assertThat(error(unbounded).get("message").asText())
                .endsWith("The SOQL FIELDS function must have a LIMIT of at most 200");
    }

    @Test
    void anOffsetBeyond2000IsOutOfRange() throws Exception {
        assertError(query("SELECT Id FROM Sync_Sample__c ORDER BY Name OFFSET 2001"), 400,
                "NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed for apiName Sync_Sample__c is 2000");
        JsonNode page = ok(query("SELECT Quantity__c FROM Sync_Sample__c WHERE Text__c = 'paged'"
                + " ORDER BY Quantity__c DESC LIMIT 3 OFFSET 2000"));
        assertThat(page.get("totalSize").asInt()).isEqualTo(3);
        assertThat(page.get("records").get(0).get("Quantity__c").asInt()).isEqualTo(PAGED - 2001);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/query", "/query?q=", "/queryAll/?q=%20%20", "/query?explain=SELECT+Id+FROM+Account"})
    void aMissingQueryStringIsMalformed(String path) throws Exception {
        assertError(get(V + path), 400, "MALFORMED_QUERY", "A query string has to be specified");
    }

    @Test
    void onlyGetIsAllowed() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUri() + V
                + "/query?q=" + encode("SELECT Id FROM Account"))).header("Authorization", "Bearer " + token())
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void queriesNeedASession() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUri() + V
                + "/query?q=" + encode("SELECT Id FROM Account"))).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertError(response, 401, "INVALID_SESSION_ID", "Session expired or invalid");
    }

    // --------------------------------------------------------------------------------------------- helpers

    private static <T> T write(Function<Org.Txn, T> work) {
        return emulator.org().write(WriteContext.system(emulator.adminUserId()), work);
    }

    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** A fresh session for every call, so that moving the clock never leaves a test with an expired token. */
    private static String token() {
        return emulator.accessToken();
    }

    private static String encode(String soql) {
        return URLEncoder.encode(soql, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> query(String soql) throws Exception {
        return get(V + "/query?q=" + encode(soql));
    }

    private static HttpResponse<String> query(String soql, String options) throws Exception {
        return send(V + "/query?q=" + encode(soql), options);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(path, null);
    }

    private static HttpResponse<String> send(String path, String queryOptions) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUri() + path))
                .header("Authorization", "Bearer " + token()).GET();
        if (queryOptions != null) {
            request.header("Sforce-Query-Options", queryOptions);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The first page and every page its nextRecordsUrl chain leads to. */
    private static List<JsonNode> pages(HttpResponse<String> first, String options) throws Exception {
        List<JsonNode> pages = new ArrayList<>();
        JsonNode page = ok(first);
        pages.add(page);
        while (!page.get("done").asBoolean()) {
            page = ok(send(page.get("nextRecordsUrl").asText(), options));
            pages.add(page);
        }
        return pages;
    }

    private static List<String> names(String soql) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode record : ok(query(soql)).get("records")) {
            names.add(record.get("Name").asText());
        }
        return names;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode error(HttpResponse<String> response) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.isArray()).as(response.body()).isTrue();
        return body.get(0);
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String message)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = error(response);
        assertThat(error.get("errorCode").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isEqualTo(message);
    }
}
