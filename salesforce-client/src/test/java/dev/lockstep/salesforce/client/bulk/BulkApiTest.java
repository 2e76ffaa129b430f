package dev.lockstep.salesforce.client.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.auth.SalesforceSession;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import dev.lockstep.salesforce.client.http.SalesforceHttp;
import dev.lockstep.salesforce.client.rest.RestApi;
import dev.lockstep.salesforce.client.values.FieldValues;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bulk API 2.0 query and ingest jobs against the emulator over real sockets. */
class BulkApiTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final BulkOptions FAST = BulkOptions.defaults().withPolling(Duration.ofMillis(10),
            Duration.ofMillis(100), Duration.ofSeconds(60));
    private static SalesforceHttp http;
    private static RestApi rest;
    private static BulkApi bulk;

    @BeforeAll
    static void connect() {
        Emulator emulator = SALESFORCE.emulator();
        http = new SalesforceHttp(new SalesforceSession(new Credentials.ClientCredentials(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET), CLIENT,
                Duration.ofSeconds(10), Clock.systemUTC()), CLIENT, new RetryPolicy(3, Duration.ofMillis(10),
                Duration.ofMillis(50)), Duration.ofSeconds(30), "lockstep-test");
        rest = new RestApi(http, "61.0");
        bulk = new BulkApi(http, rest, "61.0", FAST);
    }

    @AfterEach
    void disarm(Emulator emulator) {
        emulator.faults().clear();
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> createAccounts(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode fields = JSON.createObjectNode().put("Name", prefix + " " + i);
            ids.add(rest.create("Account", fields));
        }
        return ids;
    }

    @Test
    void queryStreamsRowsOverSeveralLocatorsFetchingEachChunkOnlyWhenNeeded() {
        String prefix = "Locators " + tag();
        createAccounts(prefix, 25);
        BulkApi small = new BulkApi(http, rest, "61.0", FAST.withMaxRecords(10));
        long before = http.metrics().calls("bulk.query");

        try (BulkRows<Map<String, Object>> rows = small.query("SELECT Id, Name, CreatedDate FROM Account WHERE Name"
                + " LIKE '" + prefix + "%' ORDER BY Name")) {
            Map<String, Object> first = rows.next();
            assertThat(rows.chunks()).isEqualTo(1);
            assertThat(first.keySet()).containsExactly("Id", "Name", "CreatedDate");
            assertThat(first.get("CreatedDate")).isInstanceOf(Instant.class);
            List<String> names = new ArrayList<>(List.of((String) first.get("Name")));
            rows.forEachRemaining(r -> names.add((String) r.get("Name")));

            assertThat(names).hasSize(25).doesNotHaveDuplicates().allMatch(n -> n.startsWith(prefix));
            assertThat(rows.chunks()).isEqualTo(3);
        }
        // create, at least one status poll, three result chunks
        assertThat(http.metrics().calls("bulk.query") - before).isGreaterThanOrEqualTo(5);
    }

    @Test
    void everyFieldTypeOfSyncSampleComesBackTyped() {
        String ext = "EXT-" + tag();
        ObjectNode fields = JSON.createObjectNode().put("Name", "Typed " + ext).put("Text__c", "comma, \"quote\"")
                .put("Text_Area__c", "line 1\nline 2").put("Long_Text__c", "é€😀").put("Status__c", "Active")
                .put("Colors__c", "Red;Blue").put("Flag__c", true).put("Quantity__c", 42).put("Ratio__c", 0.125)
                .put("Amount__c", 1234.5).put("Discount__c", 12.5).put("Due_Date__c", "2024-02-29")
                .put("Due_At__c", "2024-03-01T10:15:30.000+0000").put("Alarm_Time__c", "13:45:00.000Z")
                .put("Email__c", "ann@example.com").put("Phone__c", "+1 555 0100").put("Website__c",
                        "https://example.com").put("Attachment__c", "aMOpbGxv").put("Secret__c", "s3cret")
                .put("Address__City__s", "Paris").put("Address__PostalCode__s", "75001")
                .put("Location__Latitude__s", 48.8566).put("Location__Longitude__s", 2.3522)
                .put("External_Id__c", ext);
        String accountId = createAccounts("Parent " + ext, 1).get(0);
        fields.put("Account__c", accountId);
        String id = rest.create("Sync_Sample__c", fields);

        Map<String, Object> row;
        try (BulkRows<Map<String, Object>> rows = bulk.query("SELECT Id, Name, Text__c, Text_Area__c, Long_Text__c,"
                + " Status__c, Colors__c, Flag__c, Quantity__c, Ratio__c, Amount__c, Discount__c, Due_Date__c,"
                + " Due_At__c, Alarm_Time__c, Email__c, Phone__c, Website__c, Account__c, Attachment__c, Secret__c,"
                + " Address__City__s, Location__Latitude__s, Total__c, External_Id__c, Account__r.Name, IsDeleted"
                + " FROM Sync_Sample__c WHERE External_Id__c = '" + ext + "'")) {
            row = rows.next();
            assertThat(rows.hasNext()).isFalse();
        }
        assertThat(row.get("Id")).isEqualTo(id);
        assertThat(row.get("Text__c")).isEqualTo("comma, \"quote\"");
        assertThat(row.get("Text_Area__c")).isEqualTo("line 1\nline 2");
        assertThat(row.get("Long_Text__c")).isEqualTo("é€😀");
        assertThat(row.get("Status__c")).isEqualTo("Active");
        assertThat(row.get("Colors__c")).isEqualTo(List.of("Red", "Blue"));
        assertThat(row.get("Flag__c")).isEqualTo(Boolean.TRUE);
        assertThat(row.get("IsDeleted")).isEqualTo(Boolean.FALSE);
        assertThat(row.get("Quantity__c")).isEqualTo(42);
        assertThat(row.get("Ratio__c")).isEqualTo(new BigDecimal("0.125000"));
        assertThat(row.get("Amount__c")).isEqualTo(new BigDecimal("1234.50"));
        assertThat(row.get("Discount__c")).isEqualTo(new BigDecimal("12.50"));
        assertThat(row.get("Due_Date__c")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(row.get("Due_At__c")).isEqualTo(Instant.parse("2024-03-01T10:15:30Z"));
        assertThat(row.get("Alarm_Time__c")).isEqualTo(LocalTime.of(13, 45));
        assertThat(row.get("Email__c")).isEqualTo("ann@example.com");
        assertThat(row.get("Phone__c")).isEqualTo("+1 555 0100");
        assertThat(row.get("Website__c")).isEqualTo("https://example.com");
        assertThat(row.get("Account__c")).isEqualTo(accountId);
        assertThat((byte[]) row.get("Attachment__c")).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
        assertThat(row.get("Secret__c")).isInstanceOf(String.class);
        assertThat(row.get("Address__City__s")).isEqualTo("Paris");
        assertThat(row.get("Location__Latitude__s")).isEqualTo(new BigDecimal("48.856600000000000"));
        assertThat(row.get("Total__c")).isEqualTo(new BigDecimal("51849.00"));
        assertThat(row.get("Account__r.Name")).isEqualTo("Parent " + ext + " 0");

        // The compound fields and the blob URL exist only in REST records.
        FieldValues values = FieldValues.of(rest.describe("Sync_Sample__c"));
        Map<String, Object> record = values.record(rest.retrieve("Sync_Sample__c", id, List.of()).orElseThrow());
        assertThat(record.get("Attachment__c")).asString().contains(id).contains("Attachment__c");
        assertThat(record.get("Address__c")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("city", "Paris").containsEntry("postalCode", "75001");
        assertThat(record.get("Location__c")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("latitude", new BigDecimal("48.8566"));
        assertThat(record.get("Due_At__c")).isEqualTo(Instant.parse("2024-03-01T10:15:30Z"));
    }

    @Test
    void queryAllIncludesDeletedRecords() {
        String prefix = "Deleted " + tag();
        List<String> ids = createAccounts(prefix, 3);
        rest.delete("Account", ids.get(0));
        String soql = "SELECT Id, IsDeleted FROM Account WHERE Name LIKE '" + prefix + "%'";

        try (BulkRows<Map<String, Object>> live = bulk.query(soql);
                BulkRows<Map<String, Object>> all = bulk.queryAll(soql)) {
            assertThat(live.stream().map(r -> r.get("Id"))).containsExactlyInAnyOrder(ids.get(1), ids.get(2));
            Map<Object, Object> deleted = all.stream().collect(Collectors.toMap(r -> r.get("Id"),
                    r -> r.get("IsDeleted")));
            assertThat(deleted).containsEntry(ids.get(0), true).containsEntry(ids.get(1), false).hasSize(3);
        }
    }

    @Test
    void aBadQueryIsFatalWithMalformedQuery() {
        SalesforceException e = catchThrowableOfType(SalesforceException.class,
                () -> bulk.query("SELEKT Id FROM Account"));
        assertThat(e.category()).isEqualTo(ErrorCategory.FATAL);
        assertThat(e.errorCode()).isEqualTo("MALFORMED_QUERY");
    }

    @Test
    void injected503sAreRetriedOnCreateAndOnResults(Emulator emulator) {
        String prefix = "Retried " + tag();
        createAccounts(prefix, 3);
        long retries = http.metrics().retries();
        emulator.faults().failWithStatus("bulk.query", 2, 503);
        JobInfo job = bulk.awaitQuery(bulk.createQuery("SELECT Id FROM Account WHERE Name LIKE '" + prefix + "%'",
                false).id());
        assertThat(job.state()).isEqualTo(JobState.JOB_COMPLETE);

        emulator.faults().failWithStatus("bulk.query", 2, 503);
        try (BulkRows<Map<String, Object>> rows = bulk.typedResults(job)) {
            assertThat(rows.stream().count()).isEqualTo(3);
        }
        assertThat(http.metrics().retries() - retries).isEqualTo(4);
    }

    @Test
    void insertReportsCreatedRowsAndFailedRowsWithTheirErrors() {
        String ext = "DUP-" + tag();
        bulk.ingest("Sync_Sample__c", IngestOperation.INSERT, null, List.of("Name", "External_Id__c"),
                List.of(List.of("existing", ext)).iterator());

        JobInfo job = bulk.ingest("Sync_Sample__c", IngestOperation.INSERT, null,
                List.of("Name", "Status__c", "External_Id__c"), List.<List<?>>of(
                        List.of("good one", "New", ext + "-1"),
                        Arrays.asList(null, "New", ext + "-2"),
                        List.of("bad picklist", "Bogus", ext + "-3"),
                        List.of("duplicate", "New", ext)).iterator());

        assertThat(job.state()).isEqualTo(JobState.JOB_COMPLETE);
        assertThat(job.numberRecordsProcessed()).isEqualTo(4);
        assertThat(job.numberRecordsFailed()).isEqualTo(3);
        List<SuccessfulRecord> ok;
        try (BulkRows<SuccessfulRecord> rows = bulk.successfulResults(job.id())) {
            ok = rows.stream().toList();
        }
        assertThat(ok).singleElement().satisfies(r -> {
            assertThat(r.created()).isTrue();
            assertThat(r.id()).hasSize(18);
            assertThat(r.fields()).containsEntry("Name", "good one");
        });
        Map<String, FailedRecord> failed = new HashMap<>();
        try (BulkRows<FailedRecord> rows = bulk.failedResults(job.id())) {
            rows.forEachRemaining(r -> failed.put(r.fields().get("External_Id__c"), r));
        }
        assertThat(failed).hasSize(3);
        FailedRecord missing = failed.get(ext + "-2");
        assertThat(missing.id()).isNull();
        assertThat(missing.errors().get(0).statusCode()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(missing.errors().get(0).fields()).containsExactly("Name");
        assertThat(missing.category()).isEqualTo(ErrorCategory.PER_RECORD);
        assertThat(failed.get(ext + "-3").errors().get(0).statusCode())
                .isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(failed.get(ext).errors().get(0).statusCode()).isEqualTo("DUPLICATE_VALUE");
        assertThat(failed.get(ext).category()).isEqualTo(ErrorCategory.PER_RECORD);
    }

    @Test
    void upsertTellsCreatedFromUpdatedAndDeleteRemovesRecords() {
        String ext = "UPS-" + tag();
        bulk.ingest("Sync_Sample__c", IngestOperation.INSERT, null, List.of("Name", "External_Id__c"),
                List.of(List.of("before", ext + "-old")).iterator());

        JobInfo upsert = bulk.ingest("Sync_Sample__c", IngestOperation.UPSERT, "External_Id__c",
                List.of("Name", "External_Id__c"), List.of(List.of("after", ext + "-old"),
                        List.of("fresh", ext + "-new")).iterator());
        Map<String, SuccessfulRecord> byExt = new HashMap<>();
        try (BulkRows<SuccessfulRecord> rows = bulk.successfulResults(upsert.id())) {
            rows.forEachRemaining(r -> byExt.put(r.fields().get("External_Id__c"), r));
        }
        assertThat(byExt.get(ext + "-old").created()).isFalse();
        assertThat(byExt.get(ext + "-new").created()).isTrue();

        JobInfo delete = bulk.ingest("Sync_Sample__c", IngestOperation.DELETE, null, List.of("Id"),
                byExt.values().stream().map(r -> List.of(r.id())).iterator());
        assertThat(delete.numberRecordsFailed()).isZero();
        try (BulkRows<Map<String, Object>> left = bulk.query("SELECT Id FROM Sync_Sample__c WHERE External_Id__c"
                + " LIKE '" + ext + "%'")) {
            assertThat(left.hasNext()).isFalse();
        }
    }

    @Test
    void uploadsAreSplitUnderTheSizeLimitEachWithTheHeader() {
        String prefix = "Chunked " + tag();
        BulkApi chunked = new BulkApi(http, rest, "61.0", FAST.withMaxUploadBytes(1024));
        JobInfo job = chunked.createIngest("Account", IngestOperation.INSERT, null);
        long before = http.metrics().calls("bulk.ingest");

        int uploads = chunked.upload(job.id(), List.of("Name"), IntStream.range(0, 100)
                .mapToObj(i -> List.of(prefix + " " + i)).iterator());
        chunked.closeIngest(job.id());
        JobInfo done = chunked.awaitIngest(job.id());

        assertThat(uploads).isGreaterThan(2);
        assertThat(http.metrics().calls("bulk.ingest") - before).isGreaterThanOrEqualTo(uploads);
        assertThat(done.numberRecordsProcessed()).isEqualTo(100);
        assertThat(done.numberRecordsFailed()).isZero();
    }

    @Test
    void aRowLockLandsInFailedResultsAsRetriable(Emulator emulator) {
        String prefix = "Locked " + tag();
        emulator.faults().lockRows(1);
        JobInfo job = bulk.ingest("Account", IngestOperation.INSERT, null, List.of("Name"),
                List.of(List.of(prefix + " 1"), List.of(prefix + " 2"), List.of(prefix + " 3")).iterator());

        assertThat(job.numberRecordsFailed()).isEqualTo(1);
        try (BulkRows<FailedRecord> failed = bulk.failedResults(job.id())) {
            FailedRecord locked = failed.next();
            assertThat(locked.errors().get(0).statusCode()).isEqualTo("UNABLE_TO_LOCK_ROW");
            assertThat(locked.category()).isEqualTo(ErrorCategory.RETRIABLE);
            assertThat(failed.hasNext()).isFalse();
        }
    }

    @Test
    void anAbortedJobLeavesItsRowsUnprocessedAndWaitingForItFails() {
        String prefix = "Aborted " + tag();
        JobInfo job = bulk.createIngest("Account", IngestOperation.INSERT, null);
        bulk.upload(job.id(), List.of("Name"), List.of(List.of(prefix + " 1"), List.of(prefix + " 2")).iterator());

        assertThat(bulk.abortIngest(job.id()).state()).isEqualTo(JobState.ABORTED);
        BulkJobException e = catchThrowableOfType(BulkJobException.class, () -> bulk.awaitIngest(job.id()));
        assertThat(e.errorCode()).isEqualTo(BulkJobException.JOB_ABORTED);
        assertThat(e.category()).isEqualTo(ErrorCategory.FATAL);
        assertThat(e.job().state()).isEqualTo(JobState.ABORTED);
        try (BulkRows<Map<String, String>> rows = bulk.unprocessedRecords(job.id())) {
            assertThat(rows.stream().map(r -> r.get("Name"))).containsExactlyInAnyOrder(prefix + " 1",
                    prefix + " 2");
        }
    }
}
