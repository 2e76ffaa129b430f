package dev.lockstep.emulator.bulk;

import static dev.lockstep.emulator.bulk.BulkHttp.assertError;
import static dev.lockstep.emulator.bulk.BulkHttp.json;
import static dev.lockstep.emulator.bulk.BulkHttp.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.OrgListener;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.WriteContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ingest jobs over real sockets against one emulator: every operation, record-level failures with Salesforce's
 * {@code sf__Error} texts, CSV dialects, job-level failures, state rules, JobInfo shapes, lists and expiry.
 */
class BulkIngestJobTest {

    private static final AtomicInteger UNIQUE = new AtomicInteger();

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

    /** A prefix no other test uses, so tests sharing the org don't collide on unique values. */
    private static String unique(String prefix) {
        return prefix + "-" + UNIQUE.incrementAndGet();
    }

    private static Org org() {
        return emulator.org();
    }

    private static String seed(String object, Map<String, Object> values) {
        return org().write(WriteContext.system(emulator.adminUserId()), txn -> txn.create(object, values));
    }

    private static Optional<RecordView> record(String id) {
        return org().read(o -> o.view(id));
    }

    private static Object field(String id, String field) {
        return org().read(o -> o.view(id).orElseThrow().get(field));
    }

    @Test
    void insertCreatesRecordsAsTheJobsCreatorAndReportsThemCreated() {
        String ext = unique("INS");
        JsonNode info = bulk.runIngest("Account", "insert", null,
                "Name,External_Id__c,NumberOfEmployees\nAcme,"  + ext + "-1,12\nGlobex," + ext + "-2,\n");

        assertThat(info.get("state").asText()).isEqualTo("JobComplete");
        assertThat(info.get("numberRecordsProcessed").asInt()).isEqualTo(2);
        assertThat(info.get("numberRecordsFailed").asInt()).isZero();
        String csv = bulk.results(info.get("id").asText(), "successfulResults");
        assertThat(csv).startsWith("\"sf__Id\",\"sf__Created\",Name,External_Id__c,NumberOfEmployees\n");
        List<Map<String, String>> rows = rows(csv);
        assertThat(rows).extracting(r -> r.get("sf__Created")).containsExactly("true", "true");
        assertThat(rows).extracting(r -> r.get("Name")).containsExactly("Acme", "Globex");
        String acme = rows.get(0).get("sf__Id");
        assertThat(acme).hasSize(18).startsWith("001");
        assertThat(field(acme, "Name")).isEqualTo("Acme");
        assertThat(field(acme, "NumberOfEmployees")).isEqualTo(12);
        assertThat(field(acme, "CreatedById")).isEqualTo(emulator.adminUserId());
        assertThat(field(rows.get(1).get("sf__Id"), "NumberOfEmployees")).isNull();
        assertThat(bulk.results(info.get("id").asText(), "failedResults"))
                .isEqualTo("\"sf__Id\",\"sf__Error\",Name,External_Id__c,NumberOfEmployees\n");
        assertThat(bulk.results(info.get("id").asText(), "unprocessedrecords"))
                .isEqualTo("Name,External_Id__c,NumberOfEmployees\n");
    }

    @Test
    void updateIgnoresEmptyValuesSetsNullWithNaAndNeedsAnIdOfTheJobsObject() {
        String id = seed("Account", Map.of("Name", "Initech", "Phone", "555-0100", "Website", "initech.example"));
        String contact = seed("Contact", Map.of("LastName", "Lumbergh"));

        JsonNode info = bulk.runIngest("Account", "update", null, "Id,Name,Phone,Website\n"
                + id.substring(0, 15) + ",Initech Corp,,#N/A\n"
                + ",Nobody,,\n"
                + contact + ",Wrong object,,\n"
                + "not-an-id,Bad,,\n");

        assertThat(info.get("numberRecordsProcessed").asInt()).isEqualTo(4);
        assertThat(info.get("numberRecordsFailed").asInt()).isEqualTo(3);
        assertThat(field(id, "Name")).isEqualTo("Initech Corp");
        assertThat(field(id, "Phone")).isEqualTo("555-0100");
        assertThat(field(id, "Website")).isNull();
        List<Map<String, String>> ok = rows(bulk.results(info.get("id").asText(), "successfulResults"));
        assertThat(ok).singleElement().satisfies(r -> {
            assertThat(r.get("sf__Id")).isEqualTo(id);
            assertThat(r.get("sf__Created")).isEqualTo("false");
        });
        List<Map<String, String>> failed = rows(bulk.results(info.get("id").asText(), "failedResults"));
        assertThat(failed).extracting(r -> r.get("sf__Error")).containsExactly(
                "MISSING_ARGUMENT:Id not specified in an update call:--",
                "MALFORMED_ID:Account ID: id value of incorrect type: " + contact + ":Id --",
                "MALFORMED_ID:Account ID: id value of incorrect type: not-an-id:Id --");
        assertThat(failed.get(1).get("sf__Id")).isEqualTo(contact);
        assertThat(failed.get(1).get("Name")).isEqualTo("Wrong object");
    }

    @Test
    void upsertTellsCreatedFromUpdatedAndRejectsDuplicateOrMissingKeys() {
        String ext = unique("UPS");
        String existing = seed("Account", Map.of("Name", "Old name", "External_Id__c", ext + "-1"));

        JsonNode info = bulk.runIngest("Account", "upsert", "\"externalIdFieldName\":\"External_Id__c\"",
                "External_Id__c,Name\n"
                        + ext.toLowerCase() + "-1,New name\n"
                        + ext + "-2,Created\n"
                        + ext + "-3,Twice A\n"
                        + ext + "-3,Twice B\n"
                        + ",No key\n");

        assertThat(info.get("state").asText()).isEqualTo("JobComplete");
        List<Map<String, String>> ok = rows(bulk.results(info.get("id").asText(), "successfulResults"));
        assertThat(ok).extracting(r -> r.get("Name") + "=" + r.get("sf__Created"))
                .containsExactly("New name=false", "Created=true");
        assertThat(ok.get(0).get("sf__Id")).isEqualTo(existing);
        assertThat(field(existing, "Name")).isEqualTo("New name");
        assertThat(field(ok.get(1).get("sf__Id"), "External_Id__c")).isEqualTo(ext + "-2");
        List<Map<String, String>> failed = rows(bulk.results(info.get("id").asText(), "failedResults"));
        assertThat(failed).extracting(r -> r.get("sf__Error")).containsExactly(
                "DUPLICATE_EXTERNAL_ID:Duplicate external id specified: " + ext + "-3:External_Id__c --",
                "DUPLICATE_EXTERNAL_ID:Duplicate external id specified: " + ext + "-3:External_Id__c --",
                "MISSING_ARGUMENT:External_Id__c not specified:--");
        assertThat(failed).extracting(r -> r.get("sf__Id")).containsOnly("");
    }

    @Test
    void deleteMovesRecordsToTheRecycleBinAndHardDeleteRemovesThemForGood() {
        String soft = seed("Account", Map.of("Name", "Soft"));
        String hard = seed("Account", Map.of("Name", "Hard"));
        String binned = seed("Account", Map.of("Name", "Binned"));

        JsonNode deleted = bulk.runIngest("Account", "delete", null, "Id\n" + soft + "\n");
        JsonNode again = bulk.runIngest("Account", "delete", null, "Id\n" + soft + "\n");
        bulk.runIngest("Account", "delete", null, "Id\n" + binned + "\n");
        JsonNode purged = bulk.runIngest("Account", "hardDelete", null, "ID\n" + hard + "\n" + binned + "\n");

        assertThat(deleted.get("numberRecordsFailed").asInt()).isZero();
        assertThat(record(soft)).hasValueSatisfying(r -> assertThat(r.isDeleted()).isTrue());
        assertThat(rows(bulk.results(again.get("id").asText(), "failedResults")))
                .extracting(r -> r.get("sf__Error")).containsExactly("ENTITY_IS_DELETED:entity is deleted:--");
        assertThat(purged.get("numberRecordsProcessed").asInt()).isEqualTo(2);
        assertThat(purged.get("numberRecordsFailed").asInt()).isZero();
        assertThat(record(hard)).isEmpty();
        assertThat(record(binned)).isEmpty();
        List<String> everyAccount = org().read(o -> o.records(o.schema().require("Account"), true)).stream()
                .map(RecordView::id).toList();
        assertThat(everyAccount).contains(soft).doesNotContain(hard, binned);
    }

    @Test
    void failedRowsCarryTheirErrorsWhileTheOthersAreWritten() {
        String ext = unique("ERR");
        seed("Sync_Sample__c", Map.of("Name", "Taken", "External_Id__c", ext));

        JsonNode info = bulk.runIngest("Sync_Sample__c", "insert", null,
                "Name,Status__c,External_Id__c,Quantity__c,Due_Date__c\n"
                        + "Good,Active,,3,2024-05-01\n"
                        + ",New,,,\n"
                        + "Bad status,Bogus,,,\n"
                        + "Duplicate,,"  + ext + ",,\n"
                        + "Bad number,,,many,\n"
                        + "Bad date,,,,2024-13-45\n");

        assertThat(info.get("state").asText()).isEqualTo("JobComplete");
        assertThat(info.get("numberRecordsProcessed").asInt()).isEqualTo(6);
        assertThat(info.get("numberRecordsFailed").asInt()).isEqualTo(5);
        List<Map<String, String>> ok = rows(bulk.results(info.get("id").asText(), "successfulResults"));
        assertThat(ok).singleElement().satisfies(r -> {
            assertThat(field(r.get("sf__Id"), "Quantity__c")).isEqualTo(3);
            assertThat(field(r.get("sf__Id"), "Due_Date__c")).isEqualTo(LocalDate.of(2024, 5, 1));
        });
        List<Map<String, String>> failed = rows(bulk.results(info.get("id").asText(), "failedResults"));
        assertThat(failed).extracting(r -> r.get("sf__Id")).containsOnly("");
        assertThat(failed).extracting(r -> r.get("sf__Error")).containsExactly(
                "REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --",
                "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:Status: bad value for restricted picklist field: Bogus"
                        + ":Status__c --",
                "DUPLICATE_VALUE:duplicate value found: External_Id__c duplicates value on record with id: "
                        + org().read(o -> o.records(o.schema().require("Sync_Sample__c"), false)).stream()
                                .filter(r -> ext.equals(r.get("External_Id__c"))).findFirst().orElseThrow().id()
                        + ":External_Id__c --",
                "INVALID_FIELD:Failed to deserialize field at col 4. Due to, 'many' is not a valid value for the"
                        + " type xsd:int:Quantity__c --",
                "INVALID_FIELD:Failed to deserialize field at col 5. Due to, '2024-13-45' is not a valid value for"
                        + " the type xsd:date:Due_Date__c --");
        assertThat(failed.get(1).get("Status__c")).isEqualTo("Bogus");
    }

    @Test
    void relationshipColumnsResolveTheParentByItsExternalId() {
        String ext = unique("PARENT");
        String account = seed("Account", Map.of("Name", "Parent", "External_Id__c", ext));

        JsonNode info = bulk.runIngest("Contact", "insert", null, "LastName,account.external_id__c\n"
                + "Child," + ext.toLowerCase() + "\n"
                + "Orphan,NOPE\n"
                + "Unparented,#N/A\n");

        List<Map<String, String>> ok = rows(bulk.results(info.get("id").asText(), "successfulResults"));
        assertThat(ok).hasSize(2);
        assertThat(field(ok.get(0).get("sf__Id"), "AccountId")).isEqualTo(account);
        assertThat(field(ok.get(1).get("sf__Id"), "AccountId")).isNull();
        assertThat(rows(bulk.results(info.get("id").asText(), "failedResults")))
                .extracting(r -> r.get("sf__Error")).containsExactly(
                        "INVALID_FIELD:Foreign key external ID: NOPE not found for field External_Id__c in entity"
                                + " Account:--");
    }

    @Test
    void anArmedRowLockFaultFailsOneRecord() {
        emulator.faults().lockRows(1);

        JsonNode info = bulk.runIngest("Account", "insert", null, "Name\nOne\nTwo\nThree\n");

        assertThat(info.get("numberRecordsFailed").asInt()).isEqualTo(1);
        assertThat(rows(bulk.results(info.get("id").asText(), "failedResults")))
                .singleElement().satisfies(r -> {
                    assertThat(r.get("sf__Error")).isEqualTo(
                            "UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--");
                    assertThat(r.get("Name")).isEqualTo("One");
                });
        assertThat(rows(bulk.results(info.get("id").asText(), "successfulResults"))).hasSize(2);
    }

    @Test
    void quotedValuesWithDelimitersQuotesLineBreaksAndUtf8SurviveTheRoundTrip() {
        List<String> texts = List.of("Acme, Inc.", "She said \"hello\"", "Zoë Ångström ñ 漢字", "rocket 🚀 emoji",
                "\"quoted\", with, commas");
        StringBuilder csv = new StringBuilder("Name,Text__c,Text_Area__c\n");
        for (String text : texts) {
            csv.append('"').append(text.replace("\"", "\"\"")).append("\",\"").append(text.replace("\"", "\"\""))
                    .append("\",\"first line\nsecond, \"\"line\"\"\"\n");
        }

        JsonNode info = bulk.runIngest("Sync_Sample__c", "insert", null, csv.toString());

        assertThat(info.get("numberRecordsFailed").asInt()).isZero();
        List<Map<String, String>> ok = rows(bulk.results(info.get("id").asText(), "successfulResults"));
        assertThat(ok).extracting(r -> r.get("Text__c")).containsExactlyElementsOf(texts);
        for (Map<String, String> row : ok) {
            assertThat(field(row.get("sf__Id"), "Name")).isEqualTo(row.get("Text__c"));
            assertThat(field(row.get("sf__Id"), "Text_Area__c")).isEqualTo("first line\nsecond, \"line\"");
        }
    }

    @ParameterizedTest
    @EnumSource(ColumnDelimiter.class)
    void everyDelimiterWorksWithEitherLineEndingAndResultsUseTheJobsFormat(ColumnDelimiter delimiter) {
        for (LineEnding lineEnding : LineEnding.values()) {
            char d = delimiter.character();
            String eol = new String(lineEnding.bytes(), StandardCharsets.US_ASCII);
            String name = "Delimited " + delimiter + " " + lineEnding;
            JsonNode info = bulk.runIngest("Sync_Sample__c", "insert", "\"columnDelimiter\":\"" + delimiter
                    + "\",\"lineEnding\":\"" + lineEnding + "\"",
                    "Name" + d + "Text__c" + eol + name + d + "\"has " + d + " inside\"" + eol);

            assertThat(info.get("state").asText()).isEqualTo("JobComplete");
            assertThat(info.get("columnDelimiter").asText()).isEqualTo(delimiter.name());
            assertThat(info.get("lineEnding").asText()).isEqualTo(lineEnding.name());
            String results = bulk.results(info.get("id").asText(), "successfulResults");
            assertThat(results).startsWith("\"sf__Id\"" + d + "\"sf__Created\"" + d + "Name" + d + "Text__c" + eol)
                    .endsWith(d + "\"true\"" + d + "\"" + name + "\"" + d + "\"has " + d + " inside\"" + eol);
        }
    }

    @Test
    void crlfDataInAnLfJobFailsTheJob() {
        JsonNode info = bulk.runIngest("Account", "insert", null, "Name\r\nWindows\r\n");

        assertThat(info.get("state").asText()).isEqualTo("Failed");
        assertThat(info.get("errorMessage").asText())
                .isEqualTo("ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF");
        assertThat(info.get("numberRecordsProcessed").asInt()).isZero();
    }

    @Test
    void unknownColumnsAndDeleteFilesWithMoreThanIdsFailTheWholeJob() {
        JsonNode unknown = bulk.runIngest("Account", "insert", null, "Name,Bogus__c\nA,b\n");
        JsonNode badParent = bulk.runIngest("Contact", "insert", null, "LastName,Account.Name\nA,b\n");
        JsonNode wideDelete = bulk.runIngest("Account", "delete", null, "Id,Name\n001000000000000,b\n");
        String empty = bulk.createIngest("Account", "insert", null);
        bulk.close(empty);

        assertThat(unknown.get("state").asText()).isEqualTo("Failed");
        assertThat(unknown.get("errorMessage").asText()).isEqualTo("InvalidBatch : Field name not found : Bogus__c");
        assertThat(bulk.results(unknown.get("id").asText(), "unprocessedrecords")).isEqualTo("Name,Bogus__c\n\"A\",\"b\"\n");
        assertThat(badParent.get("errorMessage").asText()).isEqualTo("InvalidBatch : Field name provided, Name does"
                + " not match an External ID, Salesforce Id, or indexed field for Account");
        assertThat(wideDelete.get("errorMessage").asText())
                .isEqualTo("InvalidBatch : The 'delete' batch must contain only ids");
        assertThat(bulk.awaitEnd("ingest", empty).get("state").asText()).isEqualTo("Failed");
    }

    @Test
    void aRowWithMoreValuesThanTheHeaderFailsAloneAndShortRowsAreEmptyValues() {
        JsonNode info = bulk.runIngest("Account", "insert", null, "Name,Phone\nWide,1,2\nShort\n");

        assertThat(rows(bulk.results(info.get("id").asText(), "failedResults"))).extracting(r -> r.get("sf__Error"))
                .containsExactly("INVALID_FIELD:The row has 3 values but the header has 2 columns:--");
        assertThat(rows(bulk.results(info.get("id").asText(), "successfulResults")))
                .extracting(r -> r.get("Name")).containsExactly("Short");
    }

    @Test
    void severalUploadsAreOneJobAndWritesCarryTheBulkContextInChunksOf200() {
        List<WriteContext> contexts = Collections.synchronizedList(new ArrayList<>());
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        OrgListener listener = (context, key, changes) -> {
            if ("Bulk API 2.0".equals(context.apiKind())) {
                contexts.add(context);
                sizes.add(changes.size());
            }
        };
        org().addListener(listener);
        try {
            HttpResponse<String> created = bulk.send("POST", bulk.data() + "/jobs/ingest", "application/json",
                    "{\"object\":\"Account\",\"operation\":\"insert\"}", "Sforce-Call-Options", "client=lockstep-test");
            String id = json(created).get("id").asText();
            StringBuilder first = new StringBuilder("Name\n");
            for (int i = 0; i < 300; i++) {
                first.append("Chunked ").append(i).append('\n');
            }
            StringBuilder second = new StringBuilder("Phone,Name\n");
            for (int i = 300; i < 450; i++) {
                second.append("555-").append(i).append(",Chunked ").append(i).append('\n');
            }
            bulk.upload(id, first.toString());
            bulk.upload(id, second.toString());
            bulk.close(id);
            JsonNode info = bulk.awaitEnd("ingest", id);

            assertThat(info.get("numberRecordsProcessed").asInt()).isEqualTo(450);
            assertThat(sizes).containsExactly(200, 200, 50);
            assertThat(contexts).allSatisfy(c -> {
                assertThat(c.userId()).isEqualTo(emulator.adminUserId());
                assertThat(c.callOptionsClient()).isEqualTo("lockstep-test");
            });
            List<Map<String, String>> ok = rows(bulk.results(id, "successfulResults"));
            assertThat(ok.get(0).keySet()).containsExactly("sf__Id", "sf__Created", "Name", "Phone");
            assertThat(ok.get(0).get("Phone")).isEmpty();
            assertThat(ok.get(449).get("Phone")).isEqualTo("555-449");
        } finally {
            org().removeListener(listener);
        }
    }

    @Test
    void anAbortedJobLeavesItsRecordsUnprocessed() {
        String ext = unique("ABORT");
        String open = bulk.createIngest("Account", "insert", null);
        bulk.upload(open, "Name,External_Id__c\nA," + ext + "-1\nB," + ext + "-2\n");
        emulator.bulk().holdProcessing();
        String closed;
        try {
            closed = bulk.createIngest("Account", "insert", null);
            bulk.upload(closed, "Name,External_Id__c\nC," + ext + "-3\n");
            assertThat(bulk.close(closed).get("state").asText()).isEqualTo("UploadComplete");
            assertThat(bulk.status("ingest", closed).get("state").asText()).isEqualTo("UploadComplete");
            assertThat(json(bulk.patchState("ingest", closed, "Aborted")).get("state").asText()).isEqualTo("Aborted");
        } finally {
            emulator.bulk().releaseProcessing();
        }
        HttpResponse<String> aborted = bulk.patchState("ingest", open, "Aborted");

        assertThat(json(aborted).get("state").asText()).isEqualTo("Aborted");
        assertThat(bulk.results(open, "unprocessedrecords")).isEqualTo("Name,External_Id__c\n\"A\",\"" + ext
                + "-1\"\n\"B\",\"" + ext + "-2\"\n");
        assertThat(bulk.results(closed, "unprocessedRecords")).contains(ext + "-3");
        assertThat(bulk.awaitEnd("ingest", closed).get("numberRecordsProcessed").asInt()).isZero();
        assertThat(org().read(o -> o.records(o.schema().require("Account"), true)).stream()
                .filter(r -> r.get("External_Id__c") != null && r.get("External_Id__c").toString().startsWith(ext)))
                .isEmpty();
    }

    @Test
    void requestsTheJobsStateDoesNotAllowAreRefused() {
        String id = bulk.createIngest("Account", "insert", null);

        assertError(bulk.send("DELETE", bulk.data() + "/jobs/ingest/" + id, null, null), 400, "INVALIDJOBSTATE",
                "Open");
        assertError(bulk.send("GET", bulk.data() + "/jobs/ingest/" + id + "/successfulResults", null, null), 400,
                "INVALIDJOBSTATE", null);
        assertError(bulk.patchState("ingest", id, "JobComplete"), 400, "INVALIDJOBSTATE", "JobComplete");
        assertError(bulk.patchState("ingest", id, "Finished"), 400, "JSON_PARSER_ERROR", "Finished");
        bulk.upload(id, "Name\nStateful\n");
        bulk.close(id);
        assertError(bulk.patchState("ingest", id, "UploadComplete"), 400, "INVALIDJOBSTATE", null);
        assertError(bulk.send("PUT", bulk.data() + "/jobs/ingest/" + id + "/batches", "text/csv", "Name\nLate\n"), 400,
                "INVALIDJOBSTATE", "Open");
        bulk.awaitEnd("ingest", id);
        assertError(bulk.patchState("ingest", id, "Aborted"), 400, "INVALIDJOBSTATE", "JobComplete");
        assertError(bulk.send("GET", bulk.data() + "/jobs/ingest/" + id + "/everything", null, null), 404,
                "NOT_FOUND", null);

        HttpResponse<String> deleted = bulk.send("DELETE", bulk.data() + "/jobs/ingest/" + id, null, null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertError(bulk.send("GET", bulk.data() + "/jobs/ingest/" + id, null, null), 404, "NOT_FOUND",
                "The requested resource does not exist");
        assertError(bulk.send("GET", bulk.data() + "/jobs/ingest/7505f00000XXXXX", null, null), 404, "NOT_FOUND",
                null);
    }

    @Test
    void createValidatesTheJobAsSalesforceDoes() {
        String path = bulk.data() + "/jobs/ingest";
        assertError(bulk.send("POST", path, "application/json", "{\"object\":\"Account\"}"), 400, "INVALIDJOB",
                "operation");
        assertError(bulk.send("POST", path, "application/json", "{\"object\":\"Account\",\"operation\":\"merge\"}"),
                400, "JSON_PARSER_ERROR", "merge");
        assertError(bulk.send("POST", path, "application/json", "{\"operation\":\"insert\"}"), 400, "INVALIDJOB",
                "object");
        assertError(bulk.send("POST", path, "application/json", "{\"object\":\"Nope__c\",\"operation\":\"insert\"}"),
                400, "INVALIDENTITY", "Nope__c");
        assertError(bulk.send("POST", path, "application/json", "{\"object\":\"Account\",\"operation\":\"upsert\"}"),
                400, "INVALIDJOB", "External ID was blank for Account. An External ID must be specified for upsert.");
        assertError(bulk.send("POST", path, "application/json", "{\"object\":\"Account\",\"operation\":\"upsert\","
                + "\"externalIdFieldName\":\"Nope__c\"}"), 400, "INVALIDJOB", "Field name not found : Nope__c");
        assertError(bulk.send("POST", path, "application/json", "{\"object\":\"Account\",\"operation\":\"upsert\","
                + "\"externalIdFieldName\":\"Phone\"}"), 400, "INVALIDJOB", "Phone");
        assertError(bulk.send("POST", path, "application/json", "{\"object\":\"Account\",\"operation\":\"insert\","
                + "\"columnDelimiter\":\"COLON\"}"), 400, "JSON_PARSER_ERROR", "COLON");
        assertError(bulk.send("POST", path, "application/json", "{\"object\":\"Account\",\"operation\":\"insert\","
                + "\"lineEnding\":\"CR\"}"), 400, "JSON_PARSER_ERROR", "CR");
        assertError(bulk.send("POST", path, "application/json", "{\"object\":\"Account\",\"operation\":\"insert\","
                + "\"contentType\":\"JSON\"}"), 400, "JSON_PARSER_ERROR", "JSON");
        assertError(bulk.send("POST", path, "application/json", "{not json"), 400, "JSON_PARSER_ERROR", null);
        assertError(bulk.send("POST", path, "application/json", "[]"), 400, "JSON_PARSER_ERROR", null);

        JsonNode byId = bulk.create("ingest", "{\"object\":\"account\",\"operation\":\"upsert\","
                + "\"externalIdFieldName\":\"id\"}");
        assertThat(byId.get("object").asText()).isEqualTo("Account");
        assertThat(byId.get("externalIdFieldName").asText()).isEqualTo("Id");
    }

    @Test
    void bulkCallsNeedASessionAndCountAgainstTheApiLimit() {
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(emulator.baseUri() + bulk.data() + "/jobs/ingest")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertError(response, 401, "INVALID_SESSION_ID", null);
        long before = emulator.counters().get("bulk.ingest");
        HttpResponse<String> listed = bulk.send("GET", bulk.data() + "/jobs/ingest", null, null);
        assertThat(listed.headers().firstValue("Sforce-Limit-Info")).hasValueSatisfying(v ->
                assertThat(v).startsWith("api-usage="));
        assertThat(emulator.counters().get("bulk.ingest")).isEqualTo(before + 1);
    }

    @Test
    void jobInfoHasSalesforcesFieldsAtEachStep() {
        JsonNode created = bulk.create("ingest", "{\"object\":\"Account\",\"operation\":\"insert\","
                + "\"contentType\":\"CSV\",\"lineEnding\":\"LF\",\"columnDelimiter\":\"COMMA\"}");
        String id = created.get("id").asText();

        assertThat(iterable(created.fieldNames())).containsExactly("id", "operation", "object", "createdById",
                "createdDate", "systemModstamp", "state", "externalIdFieldName", "concurrencyMode", "contentType",
                "apiVersion", "contentUrl", "lineEnding", "columnDelimiter");
        assertThat(id).hasSize(18).startsWith("750");
        assertThat(created.get("state").asText()).isEqualTo("Open");
        assertThat(created.get("createdById").asText()).isEqualTo(emulator.adminUserId());
        assertThat(created.get("createdDate").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000\\+0000");
        assertThat(created.get("externalIdFieldName").isNull()).isTrue();
        assertThat(created.get("concurrencyMode").asText()).isEqualTo("Parallel");
        assertThat(created.get("apiVersion").isNumber()).isTrue();
        assertThat(created.get("apiVersion").decimalValue()).isEqualByComparingTo(new BigDecimal("60.0"));
        assertThat(created.get("contentUrl").asText()).isEqualTo("services/data/v60.0/jobs/ingest/" + id + "/batches");

        HttpResponse<String> viaContentUrl = bulk.send("PUT", "/" + created.get("contentUrl").asText(), "text/csv",
                "Name\nVia content URL\n");
        assertThat(viaContentUrl.statusCode()).isEqualTo(201);
        JsonNode closed = bulk.close(id);
        assertThat(closed.has("jobType")).isFalse();
        JsonNode done = bulk.awaitEnd("ingest", id);

        assertThat(iterable(done.fieldNames())).containsExactly("id", "operation", "object", "createdById",
                "createdDate", "systemModstamp", "state", "externalIdFieldName", "concurrencyMode", "contentType",
                "apiVersion", "jobType", "contentUrl", "lineEnding", "columnDelimiter", "numberRecordsProcessed",
                "numberRecordsFailed", "retries", "totalProcessingTime", "apiActiveProcessingTime",
                "apexProcessingTime");
        assertThat(done.get("jobType").asText()).isEqualTo("V2Ingest");
        assertThat(done.get("numberRecordsProcessed").asInt()).isEqualTo(1);
        assertThat(done.get("retries").asInt()).isZero();

        JsonNode list = json(bulk.send("GET", bulk.data() + "/jobs/ingest", null, null));
        assertThat(list.get("done").asBoolean()).isTrue();
        assertThat(list.get("nextRecordsUrl").isNull()).isTrue();
        assertThat(list.get("records")).anySatisfy(job -> {
            assertThat(job.get("id").asText()).isEqualTo(id);
            assertThat(job.get("jobType").asText()).isEqualTo("V2Ingest");
            assertThat(job.has("numberRecordsProcessed")).isFalse();
        });
        assertThat(json(bulk.send("GET", bulk.data() + "/jobs/ingest?jobType=Classic", null, null)).get("records"))
                .isEmpty();
    }

    @Test
    void jobsAreForgottenSevenDaysAfterTheyEnd() {
        JsonNode ended = bulk.runIngest("Account", "insert", null, "Name\nShort-lived\n");
        String open = bulk.createIngest("Account", "insert", null);

        emulator.clock().advance(Duration.ofDays(6));
        assertThat(bulk.status("ingest", ended.get("id").asText()).get("state").asText()).isEqualTo("JobComplete");
        emulator.clock().advance(Duration.ofDays(1).plusMinutes(1));

        assertError(bulk.send("GET", bulk.data() + "/jobs/ingest/" + ended.get("id").asText(), null, null), 404,
                "NOT_FOUND", null);
        assertThat(bulk.status("ingest", open).get("state").asText()).isEqualTo("Open");
    }

    @Test
    void uploadsOverTheSizeCapAreRefused() {
        String id = bulk.createIngest("Account", "insert", null);
        emulator.bulk().maxUploadBase64Bytes(1000);
        try {
            assertError(bulk.send("PUT", bulk.data() + "/jobs/ingest/" + id + "/batches", "text/csv",
                    "Name\n" + "x".repeat(800)), 400, "INVALIDBATCH", "100 MB");
            bulk.upload(id, "Name\n" + "x".repeat(700));
        } finally {
            emulator.bulk().maxUploadBase64Bytes(BulkApi.MAX_UPLOAD_BASE64_BYTES);
        }
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

}
