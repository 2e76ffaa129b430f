package dev.lockstep.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.demo.DemoData;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How fast the emulator answers on this machine, so that it is never the bottleneck of a sync benchmark. Prints
 * numbers; the targets (5,000 REST requests/s, 1,000,000 records exported by a Bulk query in under 10 s) are
 * compared by a person, not asserted. Run with {@code mvn -B verify -Pbenchmark -pl integration-tests -am}.
 */
class EmulatorBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ACCOUNTS = Integer.getInteger("bench.accounts", 1_000_000);
    private static Emulator emulator;
    private static String token;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void load() {
        emulator = Emulator.start(EmulatorConfig.defaults().withDailyApiLimit(Long.MAX_VALUE));
        token = emulator.accessToken();
        long start = System.nanoTime();
        DemoData.generate(emulator.org(), Map.of("Account", ACCOUNTS), 7L);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%nEMULATOR BENCHMARK%n  demo data: %,d Accounts generated in %.1f s (%,.0f records/s)%n",
                ACCOUNTS, seconds, ACCOUNTS / seconds);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(emulator.baseUri() + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(60));
    }

    /**
     * The REST request rate, measured twice: with the JDK's {@code HttpClient} (what a Java integration uses) and
     * with a lean keep-alive HTTP/1.1 socket client, whose own CPU cost is small, so the number shows what the
     * emulator answers when the load generator does not compete with it for this machine's two cores.
     */
    @Test
    void restRequestRate() throws Exception {
        String id = emulator.org().read(org -> org.records(org.schema().require("Account"), false).get(0).id());
        String path = "/services/data/v61.0/sobjects/Account/" + id;
        int threads = 8;
        Duration run = Duration.ofSeconds(10);

        long[] jdk = load(threads, run, () -> HTTP.send(request(path).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        System.out.printf("  REST, JDK HttpClient: %,d GET sObject requests in %d s with %d threads: %,.0f requests/s"
                + " (%d failed) [target > 5,000/s]%n", jdk[0], run.toSeconds(), threads,
                jdk[0] / (double) run.toSeconds(), jdk[1]);

        ThreadLocal<KeepAliveClient> clients = ThreadLocal.withInitial(() -> new KeepAliveClient(emulator.port()));
        long[] lean = load(threads, run, () -> clients.get().get(path, token));
        System.out.printf("  REST, keep-alive socket client: %,d GET sObject requests in %d s with %d threads:"
                + " %,.0f requests/s (%d failed) [target > 5,000/s]%n", lean[0], run.toSeconds(), threads,
                lean[0] / (double) run.toSeconds(), lean[1]);
        assertThat(jdk[1] + lean[1]).isZero();
    }

    /** Runs {@code call} on {@code threads} threads for {@code run}; returns {ok, failed}. */
    private static long[] load(int threads, Duration run, java.util.concurrent.Callable<Integer> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long deadline = System.nanoTime() + run.toNanos();
        List<Future<long[]>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                long ok = 0;
                long failed = 0;
                while (System.nanoTime() < deadline) {
                    if (call.call() == 200) {
                        ok++;
                    } else {
                        failed++;
                    }
                }
                return new long[] {ok, failed};
            }));
        }
        long ok = 0;
        long failed = 0;
        for (Future<long[]> f : results) {
            long[] r = f.get(run.toSeconds() + 60, TimeUnit.SECONDS);
            ok += r[0];
            failed += r[1];
        }
        pool.shutdownNow();
        return new long[] {ok, failed};
    }

    /** A minimal HTTP/1.1 client on one kept-alive socket: request line, headers, body by Content-Length. */
    private static final class KeepAliveClient {

        private final java.net.Socket socket;
        private final java.io.BufferedInputStream in;
        private final java.io.OutputStream out;

        KeepAliveClient(int port) {
            try {
                socket = new java.net.Socket("127.0.0.1", port);
                socket.setTcpNoDelay(true);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
                out = socket.getOutputStream();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        int get(String path, String bearer) throws java.io.IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + bearer
                    + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            String status = line();
            int length = 0;
            for (String header = line(); !header.isEmpty(); header = line()) {
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            in.skipNBytes(length);
            return Integer.parseInt(status.substring(9, 12));
        }

        private String line() throws java.io.IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new java.io.EOFException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    @Test
    void bulkQueryExportRate() throws Exception {
        long start = System.nanoTime();
        String body = JSON.writeValueAsString(Map.of("operation", "query",
                "query", "SELECT Id, Name, Industry, AnnualRevenue, BillingCity, External_Id__c, SystemModstamp "
                        + "FROM Account"));
        JsonNode job = JSON.readTree(HTTP.send(request("/services/data/v61.0/jobs/query")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String id = job.get("id").asText();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        String state = job.get("state").asText();
        while (!state.equals("JobComplete")) {
            assertThat(state).isNotIn("Failed", "Aborted");
            assertThat(System.nanoTime()).as("query job completes within 5 minutes").isLessThan(deadline);
            state = JSON.readTree(HTTP.send(request("/services/data/v61.0/jobs/query/" + id).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("state").asText();
        }
        long rows = 0;
        long bytes = 0;
        String locator = null;
        do {
            String path = "/services/data/v61.0/jobs/query/" + id + "/results"
                    + (locator == null ? "" : "?locator=" + locator);
            HttpResponse<InputStream> page = HTTP.send(request(path).header("Accept", "text/csv").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(page.statusCode()).isEqualTo(200);
            try (InputStream in = page.body()) {
                byte[] buffer = new byte[1 << 16];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    bytes += n;
                }
            }
            rows += Long.parseLong(page.headers().firstValue("Sforce-NumberOfRecords").orElse("0"));
            locator = page.headers().firstValue("Sforce-Locator").orElse("null");
        } while (!locator.equals("null"));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("  Bulk API 2.0 query: %,d records (%,d MB of CSV) exported in %.2f s: %,.0f records/s"
                + " [target: 1,000,000 in < 10 s]%n", rows, bytes / 1_000_000, seconds, rows / seconds);
        assertThat(rows).isEqualTo(ACCOUNTS);
    }
}
