package dev.lockstep.salesforce.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.ErrorClassifier;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.auth.AccessToken;
import dev.lockstep.salesforce.client.auth.SalesforceSession;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP layer every Salesforce API call goes through: it signs the call with the shared session, renews the
 * session once when Salesforce answers 401 and replays the call, retries {@code RETRIABLE} failures with capped,
 * jittered backoff, tags calls with {@code Sforce-Call-Options: client=...}, and turns every other failure into a
 * classified {@link SalesforceException} whose message names the call but never its token or instance URL.
 *
 * <p>Thread-safe; calls block their caller (retries sleep on the calling thread, so never call it from a gRPC or
 * CometD callback thread).
 */
public final class SalesforceHttp {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SalesforceSession session;
    private final HttpClient http;
    private final RetryPolicy retry;
    private final Duration timeout;
    private final String callOptionsClient;
    private final ClientMetrics metrics = new ClientMetrics();
    private final ApiGovernor governor;
    private volatile String limitInfo;

    /** The version the governor's budget probe reads {@code /limits} with: old enough for every org. */
    private static final String PROBE_VERSION = "50.0";

    /**
     * @param callOptionsClient sent as {@code Sforce-Call-Options: client=<value>} so the change events of this
     *     client's writes can be recognised; null to send nothing
     */
    public SalesforceHttp(SalesforceSession session, HttpClient http, RetryPolicy retry, Duration timeout,
            String callOptionsClient) {
        this(session, http, retry, timeout, callOptionsClient, ApiGovernor.unlimited());
    }

    /** A client whose calls stay inside {@code governor}'s budget reserve and concurrency. */
    public SalesforceHttp(SalesforceSession session, HttpClient http, RetryPolicy retry, Duration timeout,
            String callOptionsClient, ApiGovernor governor) {
        this.session = session;
        this.http = http;
        this.retry = retry;
        this.timeout = timeout;
        this.callOptionsClient = callOptionsClient;
        this.governor = governor;
        governor.setProbe(this::probeLimits);
    }

    /**
     * The org's daily API usage from {@code /limits}, bypassing the governor (a held call must be able to look),
     * or empty values when it cannot be read.
     */
    private java.util.OptionalLong[] probeLimits() {
        java.util.OptionalLong[] unknown = {java.util.OptionalLong.empty(), java.util.OptionalLong.empty()};
        try {
            HttpResponse<byte[]> response = http.send(request(Call.get("rest.limits", "/services/data/v"
                    + PROBE_VERSION + "/limits"), session.token()), HttpResponse.BodyHandlers.ofByteArray());
            metrics.call("rest.limits");
            if (response.statusCode() != 200) {
                return unknown;
            }
            JsonNode daily = JSON.readTree(response.body()).path("DailyApiRequests");
            long max = daily.path("Max").asLong(-1);
            long remaining = daily.path("Remaining").asLong(-1);
            return max < 0 || remaining < 0 ? unknown
                    : new java.util.OptionalLong[] {java.util.OptionalLong.of(max - remaining),
                            java.util.OptionalLong.of(max)};
        } catch (IOException | RuntimeException e) {
            return unknown;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown;
        }
    }

    /** A call to send: method, path on the instance ({@code /services/data/v61.0/...}), optional body. */
    public record Call(String kind, String method, String path, String contentType, byte[] body,
            Map<String, String> headers) {

        public static Call get(String kind, String path) {
            return new Call(kind, "GET", path, null, null, Map.of());
        }

        public static Call json(String kind, String method, String path, String json) {
            return new Call(kind, method, path, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        public Call withHeader(String name, String value) {
            Map<String, String> all = new java.util.LinkedHashMap<>(headers);
            all.put(name, value);
            return new Call(kind, method, path, contentType, body, Map.copyOf(all));
        }

        /** The path without its query, for messages: queries can be long, and the path says enough. */
        String describe() {
            int q = path.indexOf('?');
            return method + " " + (q < 0 ? path : path.substring(0, q));
        }
    }

    /** A successful answer. */
    public record Reply(int status, HttpHeaders headers, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new SalesforceException(ErrorCategory.FATAL, status, null,
                        "Salesforce answered with a body that is not JSON: " + e.getMessage());
            }
        }
    }

    /** A successful answer whose body is read as it arrives; close it (or read it to the end) to free the connection. */
    public record Streamed(int status, HttpHeaders headers, InputStream body) implements Closeable {

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /**
     * Sends a call and returns a 2xx or 3xx answer.
     *
     * @throws SalesforceException classified: after the retries of a RETRIABLE failure, after one failed re-login
     *     for AUTH, at once for LIMIT, FATAL and PER_RECORD
     */
    public Reply send(Call call) {
        HttpResponse<byte[]> response = exchange(call, HttpResponse.BodyHandlers.ofByteArray(), body -> body);
        return new Reply(response.statusCode(), response.headers(), response.body());
    }

    /**
     * Like {@link #send}, but hands the body over unread, for answers too large to hold (Bulk results). Session,
     * re-login, retries and classification apply until the status line and headers have arrived; an I/O error
     * while the caller reads the body is the caller's to handle (it surfaces as an {@link IOException}).
     */
    public Streamed stream(Call call) {
        HttpResponse<InputStream> response = exchange(call, HttpResponse.BodyHandlers.ofInputStream(),
                SalesforceHttp::readErrorBody);
        return new Streamed(response.statusCode(), response.headers(), response.body());
    }

    /** Error bodies are small JSON: read them whole so that they can be classified, then let the connection go. */
    private static byte[] readErrorBody(InputStream body) throws IOException {
        try (InputStream in = body) {
            return in.readAllBytes();
        }
    }

    /** Reads the body of a failed answer into bytes. */
    @FunctionalInterface
    private interface ErrorBody<T> {
        byte[] read(T body) throws IOException;
    }

    private <T> HttpResponse<T> exchange(Call call, HttpResponse.BodyHandler<T> handler, ErrorBody<T> errorBody) {
        AccessToken token = session.token();
        boolean renewed = false;
        int attempt = 0;
        while (true) {
            governor.beforeCall(call.describe());
            metrics.call(call.kind());
            SalesforceException failure;
            try {
                HttpResponse<T> response;
                try {
                    response = http.send(request(call, token), handler);
                } finally {
                    governor.afterCall();
                }
                response.headers().firstValue("Sforce-Limit-Info").ifPresent(v -> {
                    limitInfo = v;
                    governor.observe(v);
                });
                if (response.statusCode() < 400) {
                    return response;
                }
                failure = failure(call, response.statusCode(), errorBody.read(response.body()));
                if ("REQUEST_LIMIT_EXCEEDED".equals(failure.errorCode())
                        && failure.getMessage().contains("TotalRequests")) {
                    governor.exhausted();
                }
            } catch (IOException e) {
                failure = new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "Salesforce call "
                        + call.describe() + " got no answer: " + e.getClass().getSimpleName(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "Salesforce call " + call.describe()
                        + " interrupted", e);
            }
            if (failure.category() == ErrorCategory.AUTH && !renewed) {
                renewed = true;
                metrics.relogin();
                token = session.renew(token);
                continue;
            }
            if (failure.category() == ErrorCategory.RETRIABLE && attempt < retry.maxRetries()) {
                Duration delay = retry.delay(attempt++);
                metrics.retry();
                LOG.debug("Retrying {} in {} ms after: {}", call.describe(), delay.toMillis(), failure.getMessage());
                sleep(delay, call);
                continue;
            }
            metrics.failure(failure.category());
            throw failure;
        }
    }

    private HttpRequest request(Call call, AccessToken token) {
        URI uri = token.instanceUrl().resolve(call.path());
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + token.value())
                .header("Accept", "application/json");
        if (callOptionsClient != null) {
            b.header("Sforce-Call-Options", "client=" + callOptionsClient);
        }
        // setHeader, not header: a call may replace a default such as Accept (Bulk results are text/csv).
        call.headers().forEach(b::setHeader);
        if (call.body() == null) {
            b.method(call.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", call.contentType());
            b.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
        }
        return b.build();
    }

    /** Reads Salesforce's error body ({@code [{"message","errorCode"}]}) into a classified exception. */
    private static SalesforceException failure(Call call, int status, byte[] errorBody) {
        String errorCode = null;
        String message = null;
        try {
            JsonNode body = JSON.readTree(errorBody);
            JsonNode first = body != null && body.isArray() && body.size() > 0 ? body.get(0) : body;
            if (first != null && first.isObject()) {
                errorCode = first.path("errorCode").asText(null);
                message = first.path("message").asText(null);
            }
        } catch (IOException e) {
            message = null;
        }
        ErrorCategory category = ErrorClassifier.classify(status, errorCode);
        return new SalesforceException(category, status, errorCode, "Salesforce call "
                + call.describe() + " failed with HTTP " + status
                + (errorCode == null ? "" : " " + errorCode) + (message == null ? "" : ": " + message));
    }

    private static void sleep(Duration delay, Call call) {
        try {
            TimeUnit.MILLISECONDS.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "Interrupted while waiting to retry "
                    + call.describe(), e);
        }
    }

    public ApiGovernor governor() {
        return governor;
    }

    public ClientMetrics metrics() {
        return metrics;
    }

    public SalesforceSession session() {
        return session;
    }

    /** The last {@code Sforce-Limit-Info} Salesforce sent ({@code api-usage=18/5000}), or null. */
    public String lastLimitInfo() {
        return limitInfo;
    }
}
