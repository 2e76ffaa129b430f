package dev.lockstep.salesforce.client.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.demo.DemoData;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.auth.SalesforceSession;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import dev.lockstep.salesforce.client.http.SalesforceHttp;
import dev.lockstep.salesforce.client.rest.RestApi;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A large query streams: 200,000 rows are counted without being collected, one chunk is open at a time and the
 * next is requested only when the previous one is used up. Its own emulator, so that its 200,000 Accounts do not
 * slow other tests' queries.
 */
class BulkStreamingTest {

    private static final int ROWS = 200_000;
    private static final int CHUNK = 25_000;

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension();

    @Test
    void streams200000RowsChunkByChunkWithoutCollectingThem(Emulator emulator) {
        long start = System.nanoTime();
        DemoData.generate(emulator.org(), Map.of("Account", ROWS), 7L);
        long generated = System.nanoTime();
        HttpClient client = HttpClient.newHttpClient();
        SalesforceHttp http = new SalesforceHttp(new SalesforceSession(new Credentials.ClientCredentials(
                emulator.baseUri(), EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET), client,
                Duration.ofSeconds(10), Clock.systemUTC()), client, RetryPolicy.defaults(), Duration.ofSeconds(60),
                "lockstep-test");
        BulkApi bulk = new BulkApi(http, new RestApi(http, "61.0"), "61.0", BulkOptions.defaults()
                .withPolling(Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofMinutes(5))
                .withMaxRecords(CHUNK));

        long count = 0;
        long outOfStep = 0;
        long nameChars = 0;
        Instant latest = Instant.EPOCH;
        try (BulkRows<Map<String, Object>> rows = bulk.query("SELECT Id, Name, AnnualRevenue, CreatedDate,"
                + " BillingCity FROM Account")) {
            while (rows.hasNext()) {
                Map<String, Object> row = rows.next();
                count++;
                nameChars += ((String) row.get("Name")).length();
                Instant created = (Instant) row.get("CreatedDate");
                latest = created.isAfter(latest) ? created : latest;
                // Lazy paging: chunk n is requested only once the rows before it are read.
                if (rows.chunks() != (count - 1) / CHUNK + 1) {
                    outOfStep++;
                }
            }
            assertThat(rows.chunks()).isEqualTo(ROWS / CHUNK);
        }
        System.out.printf("%,d Accounts generated in %.1f s, streamed in %.1f s%n", ROWS,
                (generated - start) / 1e9, (System.nanoTime() - generated) / 1e9);
        assertThat(outOfStep).isZero();
        assertThat(count).isEqualTo(ROWS);
        assertThat(nameChars).isPositive();
        assertThat(latest).isAfter(Instant.EPOCH);
    }
}
