package dev.lockstep.emulator.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.Http;
import dev.lockstep.emulator.Http.Reply;
import dev.lockstep.emulator.junit.EmulatorExtension;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** API limits, scripted faults, sessions, schema changes and counters, through the Java and the admin API. */
class ControlTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension();

    private static final String V = "/services/data/v61.0";

    @AfterEach
    void reset(Emulator emulator) {
        emulator.faults().clear();
        emulator.limits().setDailyMax(1_000_000);
        emulator.limits().setUsed(0);
        emulator.limits().setConcurrentLongRunning(25, Duration.ofSeconds(20));
    }

    private static Http admin(Emulator emulator) {
        return new Http(emulator.baseUri(), null);
    }

    @Test
    void everyApiCallIsCountedAndReportedInSforceLimitInfo(Emulator emulator) {
        Http http = new Http(emulator);
        emulator.limits().setUsed(17);

        Reply reply = http.get(V + "/sobjects/Account/describe");

        assertThat(reply.header("Sforce-Limit-Info")).isEqualTo("api-usage=18/1000000");
        assertThat(http.get("/services/data").header("Sforce-Limit-Info")).isNull();
        JsonNode limits = http.get(V + "/limits").json();
        assertThat(limits.get("DailyApiRequests").get("Max").asLong()).isEqualTo(1_000_000);
        assertThat(limits.get("DailyApiRequests").get("Remaining").asLong()).isEqualTo(1_000_000 - 19);
        assertThat(limits.has("DailyBulkV2QueryJobs")).isTrue();
    }

    @Test
    void exhaustedDailyAllocationAnswersRequestLimitExceeded(Emulator emulator) {
        Http http = new Http(emulator);
        admin(emulator).put("/__emulator/limits", Http.json(Map.of("dailyApiRequests", 5, "used", 5)));

        Reply reply = http.get(V + "/sobjects/Account/describe");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(reply.json().get(0).get("message").asText()).isEqualTo("TotalRequests Limit exceeded.");
    }

    @Test
    void tooManyLongRunningRequestsAreRefused(Emulator emulator) throws Exception {
        Http http = new Http(emulator);
        emulator.limits().setConcurrentLongRunning(1, Duration.ZERO);
        // A POST: the JDK client retries an idempotent GET whose connection drops, which would hide the stall.
        emulator.faults().timeOut("rest.sobject", 1, Duration.ofSeconds(3));
        long before = emulator.counters().get("rest.sobject");
        CompletableFuture<Integer> stalled = CompletableFuture.supplyAsync(() -> {
            try {
                return http.post(V + "/sobjects/Account", "{\"Name\":\"slow\"}").status();
            } catch (UncheckedIOException e) {
                return -1;
            }
        });
        waitUntil(() -> emulator.counters().get("rest.sobject") > before);

        Reply refused = http.get(V + "/sobjects/Contact/describe");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get(0).get("message").asText()).isEqualTo("ConcurrentPerOrgLongTxn Limit exceeded.");
        assertThat(stalled.get(10, TimeUnit.SECONDS)).as("the stalled call gets no answer").isEqualTo(-1);
    }

    @Test
    void statusFaultsFailTheNextCallsOfTheirKindOnly(Emulator emulator) {
        Http http = new Http(emulator);
        admin(emulator).post("/__emulator/faults", Http.json(Map.of("kind", "rest.sobject", "count", 2,
                "type", "status", "status", 503)));

        assertThat(http.get(V + "/sobjects/Account/describe").status()).as("other kinds unaffected").isEqualTo(200);
        Reply first = http.post(V + "/sobjects/Account", "{\"Name\":\"f\"}");
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.errorCode()).isEqualTo("SERVER_UNAVAILABLE");
        assertThat(http.post(V + "/sobjects/Account", "{\"Name\":\"f\"}").status()).isEqualTo(503);
        assertThat(http.post(V + "/sobjects/Account", "{\"Name\":\"f\"}").status()).isEqualTo(201);

        emulator.faults().failWithStatus("rest", 1, 500);
        assertThat(http.get(V + "/limits").errorCode()).isEqualTo("UNKNOWN_EXCEPTION");
    }

    @Test
    void timeoutFaultLeavesTheClientWithoutAnAnswer(Emulator emulator) {
        emulator.faults().timeOut("rest.limits", 1, Duration.ofSeconds(5));
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(emulator.baseUri().resolve(V + "/limits"))
                .header("Authorization", "Bearer " + emulator.accessToken()).timeout(Duration.ofMillis(500)).build();

        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void rowLockFaultRejectsASingleWrite(Emulator emulator) {
        admin(emulator).post("/__emulator/faults", Http.json(Map.of("type", "row_lock", "count", 1)));

        Reply reply = new Http(emulator).post(V + "/sobjects/Account", "{\"Name\":\"locked\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("UNABLE_TO_LOCK_ROW");
        assertThat(new Http(emulator).post(V + "/sobjects/Account", "{\"Name\":\"fine\"}").status()).isEqualTo(201);
    }

    @Test
    void expiredOrUnknownSessionsGet401InvalidSessionId(Emulator emulator) {
        Http http = new Http(emulator);
        assertThat(http.get(V + "/limits").status()).isEqualTo(200);

        admin(emulator).post("/__emulator/sessions/expire", "{}");
        Reply expired = http.get(V + "/limits");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.errorCode()).isEqualTo("INVALID_SESSION_ID");
        assertThat(expired.json().get(0).get("message").asText()).isEqualTo("Session expired or invalid");

        Http fresh = new Http(emulator);
        emulator.clock().advance(emulator.sessions().timeToLive().plusSeconds(1));
        assertThat(fresh.get(V + "/limits").status()).isEqualTo(401);
        assertThat(http.withToken(null).get(V + "/limits").status()).isEqualTo(401);
    }

    @Test
    void fieldsCanBeAddedRetypedAndRemoved(Emulator emulator) {
        Http http = new Http(emulator);
        Http admin = admin(emulator);
        String id = http.post(V + "/sobjects/Product2", "{\"Name\":\"P\",\"ProductCode\":\"42\"}").json()
                .get("id").asText();

        assertThat(admin.post("/__emulator/schema/Product2/fields", Http.json(Map.of("name", "Weight__c",
                "label", "Weight", "type", "double", "precision", 10, "scale", 2))).status()).isEqualTo(201);
        assertThat(describeField(http, "Product2", "Weight__c").get("type").asText()).isEqualTo("double");
        assertThat(http.patch(V + "/sobjects/Product2/" + id, "{\"Weight__c\":1.5}").status()).isEqualTo(204);

        admin.patch("/__emulator/schema/Product2/fields/ProductCode", Http.json(Map.of("type", "double",
                "precision", 18, "scale", 0)));
        assertThat(describeField(http, "Product2", "ProductCode").get("type").asText()).isEqualTo("double");
        assertThat(http.get(V + "/sobjects/Product2/" + id).json().get("ProductCode").asInt()).isEqualTo(42);

        assertThat(admin.delete("/__emulator/schema/Product2/fields/Weight__c").status()).isEqualTo(204);
        assertThat(http.get(V + "/sobjects/Product2/describe").json().get("fields").toString())
                .doesNotContain("Weight__c");
        assertThat(http.patch(V + "/sobjects/Product2/" + id, "{\"Weight__c\":1.5}").errorCode())
                .isEqualTo("INVALID_FIELD");
    }

    private static JsonNode describeField(Http http, String object, String field) {
        for (JsonNode f : http.get(V + "/sobjects/" + object + "/describe").json().get("fields")) {
            if (f.get("name").asText().equals(field)) {
                return f;
            }
        }
        throw new AssertionError(field + " not in the describe of " + object);
    }

    @Test
    void countersAndStatusShowWhatHappened(Emulator emulator) {
        Http http = new Http(emulator);
        long before = emulator.counters().get("rest");

        http.get(V + "/sobjects/Account/describe");
        http.get(V + "/limits");

        assertThat(emulator.counters().get("rest")).isEqualTo(before + 2);
        JsonNode counters = admin(emulator).get("/__emulator/counters").json();
        assertThat(counters.get("rest.limits").asLong()).isGreaterThanOrEqualTo(1);
        JsonNode status = admin(emulator).get("/__emulator/status").json();
        assertThat(status.get("orgId").asText()).startsWith("00D").hasSize(18);
        assertThat(status.get("records").has("Account")).isTrue();
    }

    @Test
    void clockMovesThroughTheAdminApi(Emulator emulator) {
        java.time.Instant before = emulator.clock().instant();

        admin(emulator).post("/__emulator/clock", Http.json(Map.of("advanceMillis", 3_600_000)));

        assertThat(Duration.between(before, emulator.clock().instant())).isGreaterThanOrEqualTo(Duration.ofHours(1));
    }

    @Test
    void generatedJwtKeyIsAvailableToClientsThroughTheAdminApi(Emulator emulator) {
        JsonNode jwt = admin(emulator).get("/__emulator/jwt").json();

        assertThat(jwt.get("privateKeyPem").asText()).startsWith("-----BEGIN PRIVATE KEY-----")
                .isEqualTo(emulator.oauth().jwtPrivateKeyPem());
        assertThat(jwt.get("certificatePem").asText()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(jwt.get("clientId").asText()).isEqualTo(emulator.config().clientId());
    }

    @Test
    void unknownFaultTypeIsAClearError(Emulator emulator) {
        Reply reply = admin(emulator).post("/__emulator/faults", Http.json(Map.of("type", "explode")));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get(0).get("message").asText()).contains("status, timeout or row_lock");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.onSpinWait();
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
