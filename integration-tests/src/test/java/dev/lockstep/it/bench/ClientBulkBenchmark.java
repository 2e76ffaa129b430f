package dev.lockstep.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.demo.DemoData;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.auth.SalesforceSession;
import dev.lockstep.salesforce.client.bulk.BulkApi;
import dev.lockstep.salesforce.client.bulk.BulkOptions;
import dev.lockstep.salesforce.client.bulk.BulkRows;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import dev.lockstep.salesforce.client.http.SalesforceHttp;
import dev.lockstep.salesforce.client.rest.RestApi;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How fast the client's Bulk API 2.0 query path decodes: 1,000,000 Accounts from the emulator through
 * {@link BulkApi#query} into typed rows (CSV parsing plus conversion by the describe), streamed over locators and
 * never collected. Prints numbers; asserts only that every row arrived once and typed. Run with
 * {@code mvn -B verify -Pbenchmark -pl integration-tests -am}.
 */
class ClientBulkBenchmark {

    private static final int ACCOUNTS = Integer.getInteger("bench.accounts", 1_000_000);
    private static final String SOQL = "SELECT Id, Name, Type, Industry, AnnualRevenue, NumberOfEmployees, Phone,"
            + " Website, BillingCity, BillingCountry, CreatedDate, LastModifiedDate, IsDeleted FROM Account";
    private static Emulator emulator;
    private static BulkApi bulk;

    @BeforeAll
    static void load() {
        emulator = Emulator.start(EmulatorConfig.defaults().withDailyApiLimit(Long.MAX_VALUE));
        long start = System.nanoTime();
        DemoData.generate(emulator.org(), Map.of("Account", ACCOUNTS), 7L);
        System.out.printf("%nCLIENT BULK BENCHMARK%n  demo data: %,d Accounts generated in %.1f s%n", ACCOUNTS,
                (System.nanoTime() - start) / 1e9);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        SalesforceHttp http = new SalesforceHttp(new SalesforceSession(new Credentials.ClientCredentials(
                emulator.baseUri(), EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET), client,
                Duration.ofSeconds(10), Clock.systemUTC()), client, RetryPolicy.defaults(), Duration.ofMinutes(2),
                "lockstep-bench");
        bulk = new BulkApi(http, new RestApi(http, "61.0"), "61.0", BulkOptions.defaults()
                .withPolling(Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofMinutes(10)));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    /** Records per second from job creation to the last typed row, the emulator's own query time included. */
    @Test
    void bulkQueryDecodeRate() {
        long start = System.nanoTime();
        long rows = 0;
        long typedNumbers = 0;
        long untyped = 0;
        long chunks;
        Set<Object> sampleIds = new HashSet<>();
        try (BulkRows<Map<String, Object>> result = bulk.query(SOQL)) {
            long firstRow = 0;
            while (result.hasNext()) {
                Map<String, Object> row = result.next();
                if (rows == 0) {
                    firstRow = System.nanoTime();
                }
                rows++;
                if (row.get("AnnualRevenue") instanceof BigDecimal) {
                    typedNumbers++;
                }
                // Keep a few ids, not the rows, to check that chunks neither overlap nor repeat.
                if (rows % 1000 == 0) {
                    sampleIds.add(row.get("Id"));
                }
                if (!(row.get("CreatedDate") instanceof Instant)) {
                    untyped++;
                }
            }
            chunks = result.chunks();
            double total = (System.nanoTime() - start) / 1e9;
            double decode = (System.nanoTime() - firstRow) / 1e9;
            System.out.printf("  Bulk query through the client: %,d typed rows in %d chunks in %.1f s: %,.0f records/s"
                    + " (%,.0f records/s after the first row, job creation and wait excluded)%n", rows, chunks, total,
                    rows / total, rows / decode);
        }
        assertThat(rows).isEqualTo(ACCOUNTS);
        assertThat(sampleIds).hasSize(ACCOUNTS / 1000);
        assertThat(typedNumbers).isPositive();
        assertThat(untyped).isZero();
    }
}
