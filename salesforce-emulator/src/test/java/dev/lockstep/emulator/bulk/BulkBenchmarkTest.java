package dev.lockstep.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.query.QueryResult;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of Bulk jobs over real sockets. Heavy (a million rows take about 1.5 GB of heap), so the class runs
 * only with {@code -Dlockstep.bulk.benchmark=true}; it prints what it measured.
 */
@EnabledIfSystemProperty(named = "lockstep.bulk.benchmark", matches = "true")
class BulkBenchmarkTest {

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

    /** The export target: 1,000,000 Account rows through the results resource in default-sized chunks, < 10 s. */
    @Test
    void exportsAMillionRowsInUnderTenSeconds() {
        QueryResult result = BulkQueryJobStatesTest.accounts(1_000_000);
        QueryJob job = emulator.bulk().queries().create("query", "SELECT Id, Name FROM Account",
                emulator.adminUserId(), 60, ColumnDelimiter.COMMA, LineEnding.LF, () -> result);
        bulk.awaitEnd("query", job.id());

        long started = System.nanoTime();
        long rows = 0;
        long bytes = 0;
        int pages = 0;
        String locator = null;
        do {
            HttpResponse<byte[]> page = bulk.sendBytes("GET", bulk.data() + "/jobs/query/" + job.id() + "/results"
                    + (locator == null ? "" : "?locator=" + locator), null, null);
            assertThat(page.statusCode()).isEqualTo(200);
            rows += Long.parseLong(page.headers().firstValue("Sforce-NumberOfRecords").orElseThrow());
            bytes += page.body().length;
            locator = page.headers().firstValue("Sforce-Locator").orElseThrow();
            pages++;
        } while (!locator.equals("null"));
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("Exported %,d rows in %d pages, %,d bytes, in %,d ms%n", rows, pages, bytes, millis);
        assertThat(rows).isEqualTo(1_000_000);
        assertThat(millis).isLessThan(10_000);
    }

    /** Ingest throughput: 100,000 Accounts inserted by one job (no target; printed for the record). */
    @Test
    void insertsAHundredThousandAccounts() {
        StringBuilder csv = new StringBuilder("Name,Phone,NumberOfEmployees,External_Id__c\n");
        for (int i = 0; i < 100_000; i++) {
            csv.append("\"Bench, ").append(i).append("\",555-").append(i).append(',').append(i).append(",BENCH-")
                    .append(i).append('\n');
        }

        long started = System.nanoTime();
        JsonNode info = bulk.runIngest("Account", "insert", null, csv.toString());
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("Inserted %,d Accounts in %,d ms (apiActiveProcessingTime %,d ms)%n",
                info.get("numberRecordsProcessed").asLong(), millis, info.get("apiActiveProcessingTime").asLong());
        assertThat(info.get("numberRecordsFailed").asInt()).isZero();
    }
}
