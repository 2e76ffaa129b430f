package dev.lockstep.emulator.bulk;

import static dev.lockstep.emulator.bulk.BulkHttp.assertError;
import static dev.lockstep.emulator.bulk.BulkHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.query.QueryResult;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Query job behaviour that does not depend on what SOQL selects: validation, states, abort, delete, the 409 and
 * 412 answers, and result paging over HTTP for rows handed to the job directly (what SOQL would have returned).
 * {@link BulkQueryJobTest} covers jobs whose rows come from SOQL.
 */
class BulkQueryJobStatesTest {

    private static Emulator emulator;
    private static BulkHttp bulk;

    @BeforeAll
    static void start() {
        emulator = Emulator.start(EmulatorConfig.defaults());
        bulk = new BulkHttp(emulator, 60);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    /** A JobComplete query job over {@code result}, made as the HTTP create makes one, then awaited over HTTP. */
    private static String completedJob(QueryResult result, ColumnDelimiter delimiter, LineEnding lineEnding) {
        QueryJob job = emulator.bulk().queries().create("query", "SELECT Id, Name, AnnualRevenue FROM Account",
                emulator.adminUserId(), 60, delimiter, lineEnding, () -> result);
        assertThat(bulk.awaitEnd("query", job.id()).get("state").asText()).isEqualTo("JobComplete");
        return job.id();
    }

    static QueryResult accounts(int count) {
        List<Object[]> rows = new ArrayList<>(count);
        Instant created = Instant.parse("2024-01-02T03:04:05.678Z");
        for (int i = 0; i < count; i++) {
            rows.add(new Object[] {"001Lk" + String.format("%010d", i) + "AAA", "Account " + i,
                i % 4 == 0 ? null : BigDecimal.valueOf(i * 1000L, 2), created.plusSeconds(i),
                LocalDate.of(2024, 1, 1).plusDays(i % 365), i % 2 == 0, i, "Owner \"" + (i % 10) + "\", Esq."});
        }
        return new QueryResult("Account", List.of("Id", "Name", "AnnualRevenue", "CreatedDate", "SLAExpirationDate__c",
                "IsActive__c", "NumberOfEmployees", "Owner.Name"), rows, count, false);
    }

    private static HttpResponse<String> results(String id, String query) {
        return bulk.send("GET", bulk.data() + "/jobs/query/" + id + "/results" + query, null, null, "Accept",
                "text/csv");
    }

    @Test
    void createValidatesTheRequest() {
        String path = bulk.data() + "/jobs/query";
        assertError(bulk.send("POST", path, "application/json", "{\"query\":\"SELECT Id FROM Account\"}"), 400,
                "INVALIDJOB", "operation");
        assertError(bulk.send("POST", path, "application/json", "{\"operation\":\"insert\",\"query\":\"SELECT Id FROM"
                + " Account\"}"), 400, "JSON_PARSER_ERROR", "insert");
        assertError(bulk.send("POST", path, "application/json", "{\"operation\":\"query\"}"), 400, "INVALIDJOB",
                "query");
        assertError(bulk.send("POST", path, "application/json", "{\"operation\":\"query\",\"query\":\"  \"}"), 400,
                "INVALIDJOB", "query");
        assertError(bulk.send("POST", path, "application/json", "{\"operation\":\"query\",\"query\":\"SELECT Id FROM"
                + " Account\",\"columnDelimiter\":\"SPACE\"}"), 400, "JSON_PARSER_ERROR", "SPACE");
        assertError(bulk.send("POST", path, "application/json", "{\"operation\":\"query\",\"query\":\"SELECT Id FROM"
                + " Account\",\"lineEnding\":\"CR\"}"), 400, "JSON_PARSER_ERROR", "CR");
        assertError(bulk.send("POST", path, "application/json", "{\"operation\":\"query\",\"query\":42}"), 400,
                "JSON_PARSER_ERROR", null);
    }

    @Test
    void aJobWaitsInUploadCompleteUntilProcessedAndCanBeAbortedThenDeleted() {
        emulator.bulk().holdProcessing();
        String id;
        try {
            JsonNode created = bulk.create("query", "{\"operation\":\"query\",\"query\":\"SELECT Id, Name FROM"
                    + " Account\",\"contentType\":\"CSV\",\"columnDelimiter\":\"PIPE\",\"lineEnding\":\"CRLF\"}");
            id = created.get("id").asText();

            assertThat(names(created.fieldNames())).containsExactly("id", "operation", "object", "createdById",
                    "createdDate", "systemModstamp", "state", "concurrencyMode", "contentType", "apiVersion",
                    "lineEnding", "columnDelimiter");
            assertThat(created.get("state").asText()).isEqualTo("UploadComplete");
            assertThat(created.get("object").asText()).isEqualTo("Account");
            assertThat(created.get("columnDelimiter").asText()).isEqualTo("PIPE");
            assertThat(created.get("lineEnding").asText()).isEqualTo("CRLF");
            assertThat(created.get("apiVersion").decimalValue()).isEqualByComparingTo("60.0");
            JsonNode status = bulk.status("query", id);
            assertThat(status.get("jobType").asText()).isEqualTo("V2Query");
            assertThat(status.get("state").asText()).isEqualTo("UploadComplete");
            assertThat(status.get("numberRecordsProcessed").asInt()).isZero();
            assertThat(status.has("retries")).isTrue();
            assertThat(status.has("totalProcessingTime")).isTrue();

            assertError(results(id, ""), 412, "JOB_NOT_COMPLETE", "can only download query results of successfully"
                    + " completed bulk job with status: JOB_COMPLETE. Current status: UPLOAD_COMPLETE");
            assertError(bulk.send("DELETE", bulk.data() + "/jobs/query/" + id, null, null), 400, "INVALIDJOBSTATE",
                    "UploadComplete");
            assertError(bulk.patchState("query", id, "UploadComplete"), 400, "INVALIDJOBSTATE", null);
            JsonNode aborted = json(bulk.patchState("query", id, "Aborted"));
            assertThat(aborted.get("state").asText()).isEqualTo("Aborted");
        } finally {
            emulator.bulk().releaseProcessing();
        }
        assertThat(bulk.status("query", id).get("state").asText()).isEqualTo("Aborted");
        assertError(results(id, ""), 412, "JOB_NOT_COMPLETE", "Current status: ABORTED");
        assertError(bulk.patchState("query", id, "Aborted"), 400, "INVALIDJOBSTATE", "Aborted");
        assertThat(json(bulk.send("GET", bulk.data() + "/jobs/query", null, null)).get("records"))
                .anySatisfy(job -> assertThat(job.get("id").asText()).isEqualTo(id));

        assertThat(bulk.send("DELETE", bulk.data() + "/jobs/query/" + id, null, null).statusCode()).isEqualTo(204);
        assertError(bulk.send("GET", bulk.data() + "/jobs/query/" + id, null, null), 404, "NOT_FOUND", null);
        assertError(results(id, ""), 404, "NOT_FOUND", null);
    }

    @Test
    void ingestAndQueryJobsDoNotShareResources() {
        String ingest = bulk.createIngest("Account", "insert", null);
        String query = completedJob(accounts(1), ColumnDelimiter.COMMA, LineEnding.LF);

        assertError(bulk.send("GET", bulk.data() + "/jobs/query/" + ingest, null, null), 404, "NOT_FOUND", null);
        assertError(bulk.send("GET", bulk.data() + "/jobs/ingest/" + query, null, null), 404, "NOT_FOUND", null);
        assertThat(json(bulk.send("GET", bulk.data() + "/jobs/query", null, null)).get("records"))
                .allSatisfy(job -> assertThat(job.get("jobType").asText()).isEqualTo("V2Query"));
    }

    @Test
    void resultsComeInChunksWithLocatorsThatCanBeFetchedAgain() {
        String id = completedJob(accounts(25), ColumnDelimiter.COMMA, LineEnding.LF);
        JsonNode status = bulk.status("query", id);
        assertThat(status.get("numberRecordsProcessed").asInt()).isEqualTo(25);
        assertThat(status.get("state").asText()).isEqualTo("JobComplete");

        List<String> lines = new ArrayList<>();
        List<String> locators = new ArrayList<>();
        String locator = null;
        do {
            HttpResponse<String> page = results(id, "?maxRecords=10" + (locator == null ? "" : "&locator=" + locator));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/csv");
            String[] pageLines = page.body().split("\n");
            assertThat(pageLines[0]).isEqualTo("\"Id\",\"Name\",\"AnnualRevenue\",\"CreatedDate\","
                    + "\"SLAExpirationDate__c\",\"IsActive__c\",\"NumberOfEmployees\",\"Owner.Name\"");
            assertThat(page.headers().firstValue("Sforce-NumberOfRecords"))
                    .hasValue(Integer.toString(pageLines.length - 1));
            lines.addAll(List.of(pageLines).subList(1, pageLines.length));
            locator = page.headers().firstValue("Sforce-Locator").orElseThrow();
            locators.add(locator);
        } while (!locator.equals("null"));

        assertThat(locators).hasSize(3).last().isEqualTo("null");
        assertThat(lines).hasSize(25);
        assertThat(lines.get(0)).isEqualTo("\"001Lk0000000000AAA\",\"Account 0\",,\"2024-01-02T03:04:05.678+0000\","
                + "\"2024-01-01\",\"true\",\"0\",\"Owner \"\"0\"\", Esq.\"");
        assertThat(lines.get(1)).startsWith("\"001Lk0000000001AAA\",\"Account 1\",\"10.00\",");
        HttpResponse<String> again = results(id, "?maxRecords=10&locator=" + locators.get(0));
        assertThat(again.body()).contains("Account 10").doesNotContain("Account 9\"");
        assertThat(results(id, "?locator=" + locators.get(0)).headers().firstValue("Sforce-NumberOfRecords"))
                .hasValue("15");
        assertError(results(id, "?locator=bm9wZQ"), 400, "INVALID_QUERY_LOCATOR", null);
        assertError(results(id, "?maxRecords=0"), 400, "API_ERROR", "maxRecords");
    }

    @Test
    void defaultChunkSizeAppliesWhenTheClientSendsNoMaxRecords() {
        String id = completedJob(accounts(25), ColumnDelimiter.COMMA, LineEnding.LF);
        emulator.bulk().setDefaultMaxRecords(10);
        try {
            HttpResponse<String> first = results(id, "");
            assertThat(first.headers().firstValue("Sforce-NumberOfRecords")).hasValue("10");
            String locator = first.headers().firstValue("Sforce-Locator").orElseThrow();
            assertThat(results(id, "?locator=" + locator).body()).contains("Account 10").doesNotContain("Account 20");
            assertThat(results(id, "?maxRecords=20").headers().firstValue("Sforce-NumberOfRecords")).hasValue("20");
            assertThatThrownBy(() -> emulator.bulk().setDefaultMaxRecords(0))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            emulator.bulk().setDefaultMaxRecords(ResultPager.DEFAULT_MAX_RECORDS);
        }
        assertThat(results(id, "").headers().firstValue("Sforce-NumberOfRecords")).hasValue("25");
    }

    @Test
    void resultsNeedTheApiVersionTheJobWasCreatedWith() {
        String id = completedJob(accounts(2), ColumnDelimiter.COMMA, LineEnding.LF);
        BulkHttp other = new BulkHttp(emulator, 61);

        HttpResponse<String> response = other.send("GET", other.data() + "/jobs/query/" + id + "/results", null, null);

        assertError(response, 409, "API_ERROR", "60.0");
        assertThat(other.status("query", id).get("apiVersion").decimalValue()).isEqualByComparingTo("60.0");
    }

    @Test
    void resultsUseTheJobsDelimiterAndLineEnding() {
        String id = completedJob(accounts(2), ColumnDelimiter.TAB, LineEnding.CRLF);

        String body = results(id, "").body();

        assertThat(body).startsWith("\"Id\"\t\"Name\"\t").contains("\r\n\"001Lk0000000000AAA\"\t\"Account 0\"\t\t")
                .endsWith("\"Owner \"\"1\"\", Esq.\"\r\n");
        assertThat(body.split("\r\n")).hasSize(3);
    }

    @Test
    void aQueryThatCannotRunFailsTheJobWithAnErrorMessage() {
        QueryJob job = emulator.bulk().queries().create("queryAll", "SELECT Id FROM Contact WHERE Name = 'x'",
                emulator.adminUserId(), 60, ColumnDelimiter.COMMA, LineEnding.LF, () -> {
                    throw new IllegalStateException("disk on fire");
                });

        JsonNode status = bulk.awaitEnd("query", job.id());

        assertThat(status.get("state").asText()).isEqualTo("Failed");
        assertThat(status.get("operation").asText()).isEqualTo("queryAll");
        assertThat(status.get("object").asText()).isEqualTo("Contact");
        assertThat(status.get("errorMessage").asText()).contains("disk on fire");
        assertError(results(job.id(), ""), 412, "JOB_NOT_COMPLETE", "Current status: FAILED");
    }

    @Test
    void aCountQueryAndCompoundFieldsAreRefusedOnCreate() {
        QueryResult count = new QueryResult("Account", List.of(), List.of(), 3, true);
        QueryResult compound = new QueryResult("Account", List.of("Id", "BillingAddress"), List.of(), 0, false);

        for (QueryResult result : List.of(count, compound)) {
            assertThatThrownBy(() -> emulator.bulk().queries().create("query",
                    "SELECT ...", emulator.adminUserId(), 60, ColumnDelimiter.COMMA, LineEnding.LF, () -> result))
                    .isInstanceOfSatisfying(OrgException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.errorCode()).isEqualTo("API_ERROR");
                    });
        }
    }

    private static List<String> names(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
