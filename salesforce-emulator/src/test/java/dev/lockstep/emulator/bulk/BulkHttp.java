package dev.lockstep.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.Emulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSession;

/**
 * A minimal Bulk API 2.0 client over real sockets for the tests: every call sends a fresh session token (tests
 * move the org clock, which expires older ones) and returns the raw response for the test to judge.
 */
final class BulkHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final Set<String> TERMINAL = Set.of("JobComplete", "Failed", "Aborted");

    private final Emulator emulator;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int version;

    BulkHttp(Emulator emulator, int version) {
        this.emulator = emulator;
        this.version = version;
    }

    String data() {
        return "/services/data/v" + version + ".0";
    }

    HttpResponse<String> send(String method, String path, String contentType, String body, String... headers) {
        HttpResponse<byte[]> response = sendBytes(method, path, contentType,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
        return new StringResponse(response);
    }

    HttpResponse<byte[]> sendBytes(String method, String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUri() + path))
                .timeout(WAIT)
                .header("Authorization", "Bearer " + emulator.accessToken())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON: " + response.body(), e);
        }
    }

    /** Asserts a Salesforce error body: status, errorCode and (when given) a part of the message. */
    static void assertError(HttpResponse<String> response, int status, String errorCode, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response).get(0);
        assertThat(error.get("errorCode").asText()).isEqualTo(errorCode);
        if (messagePart != null) {
            assertThat(error.get("message").asText()).contains(messagePart);
        }
    }

    JsonNode create(String resource, String body) {
        HttpResponse<String> response = send("POST", data() + "/jobs/" + resource, "application/json", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    String createIngest(String object, String operation, String extraJson) {
        return create("ingest", "{\"object\":\"" + object + "\",\"operation\":\"" + operation + "\""
                + (extraJson == null ? "" : "," + extraJson) + "}").get("id").asText();
    }

    void upload(String jobId, String csv) {
        HttpResponse<String> response = send("PUT", data() + "/jobs/ingest/" + jobId + "/batches", "text/csv", csv);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).isEmpty();
    }

    HttpResponse<String> patchState(String resource, String jobId, String state) {
        return send("PATCH", data() + "/jobs/" + resource + "/" + jobId, "application/json",
                "{\"state\":\"" + state + "\"}");
    }

    JsonNode close(String jobId) {
        HttpResponse<String> response = patchState("ingest", jobId, "UploadComplete");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    JsonNode status(String resource, String jobId) {
        HttpResponse<String> response = send("GET", data() + "/jobs/" + resource + "/" + jobId, null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** Polls the job's status until it is JobComplete, Failed or Aborted; fails after {@link #WAIT}. */
    JsonNode awaitEnd(String resource, String jobId) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode info;
        do {
            info = status(resource, jobId);
            if (TERMINAL.contains(info.get("state").asText())) {
                return info;
            }
            pause();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("Job " + jobId + " did not end within " + WAIT + "; last status " + info);
    }

    /** Create, upload, close and wait: the final JobInfo. */
    JsonNode runIngest(String object, String operation, String extraJson, String csv) {
        String id = createIngest(object, operation, extraJson);
        upload(id, csv);
        close(id);
        return awaitEnd("ingest", id);
    }

    String results(String jobId, String kind) {
        HttpResponse<String> response = send("GET", data() + "/jobs/ingest/" + jobId + "/" + kind + "/", null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/csv");
        return response.body();
    }

    /** A result CSV (comma, LF) as one map per row, by header name. */
    static List<Map<String, String>> rows(String csv) {
        try {
            CsvReader.Table table = CsvReader.parse(csv.getBytes(StandardCharsets.UTF_8), ColumnDelimiter.COMMA,
                    LineEnding.LF);
            List<Map<String, String>> rows = new ArrayList<>();
            for (String[] values : table.rows()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < table.header().size(); i++) {
                    row.put(table.header().get(i), i < values.length ? values[i] : null);
                }
                rows.add(row);
            }
            return rows;
        } catch (CsvException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The interval between two polls of a job's status (a poll loop, bounded by {@link #WAIT}). */
    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A byte response seen as text, so both kinds of test share one send path. */
    private static final class StringResponse implements HttpResponse<String> {
        private final HttpResponse<byte[]> bytes;

        StringResponse(HttpResponse<byte[]> bytes) {
            this.bytes = bytes;
        }

        @Override
        public int statusCode() {
            return bytes.statusCode();
        }

        @Override
        public HttpRequest request() {
            return bytes.request();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return bytes.headers();
        }

        @Override
        public String body() {
            return new String(bytes.body(), StandardCharsets.UTF_8);
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return bytes.sslSession();
        }

        @Override
        public URI uri() {
            return bytes.uri();
        }

        @Override
        public HttpClient.Version version() {
            return bytes.version();
        }
    }
}
