package dev.lockstep.salesforce.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.auth.SalesforceSession;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP layer against the emulator: shared session, one re-login, retries, classification, no secrets. */
class SalesforceHttpTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension();

    private static final String LIMITS = "/services/data/v61.0/limits";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @AfterEach
    void disarm(Emulator emulator) {
        emulator.faults().clear();
        emulator.limits().setDailyMax(1_000_000);
        emulator.limits().setUsed(0);
    }

    private static SalesforceHttp http(Emulator emulator, RetryPolicy retry, Duration timeout) {
        Credentials credentials = new Credentials.ClientCredentials(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET);
        return new SalesforceHttp(new SalesforceSession(credentials, CLIENT, Duration.ofSeconds(10),
                Clock.systemUTC()), CLIENT, retry, timeout, "lockstep-test");
    }

    private static SalesforceHttp http(Emulator emulator) {
        return http(emulator, new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)), Duration.ofSeconds(10));
    }

    @Test
    void callsAreSignedWithTheSharedSessionAndCounted(Emulator emulator) {
        SalesforceHttp http = http(emulator);

        SalesforceHttp.Reply reply = http.send(SalesforceHttp.Call.get("rest.limits", LIMITS));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().has("DailyApiRequests")).isTrue();
        assertThat(http.lastLimitInfo()).startsWith("api-usage=");
        assertThat(http.metrics().calls("rest.limits")).isEqualTo(1);
        assertThat(http.session().logins()).isEqualTo(1);
    }

    @Test
    void manyCallsFailingWithAnExpiredSessionCauseExactlyOneReLogin(Emulator emulator) throws Exception {
        SalesforceHttp http = http(emulator);
        http.send(SalesforceHttp.Call.get("rest.limits", LIMITS));
        emulator.sessions().expireAll();
        long tokenCallsBefore = emulator.counters().get("oauth");
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            calls.add(pool.submit(() -> {
                start.await();
                return http.send(SalesforceHttp.Call.get("rest.limits", LIMITS)).status();
            }));
        }

        start.countDown();

        for (Future<Integer> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        }
        pool.shutdownNow();
        assertThat(http.session().logins()).isEqualTo(2);
        assertThat(emulator.counters().get("oauth") - tokenCallsBefore).as("token endpoint calls").isEqualTo(1);
    }

    @Test
    void transientFailuresAreRetriedWithBackoff(Emulator emulator) {
        SalesforceHttp http = http(emulator);
        emulator.faults().failWithStatus("rest.limits", 2, 503);

        assertThat(http.send(SalesforceHttp.Call.get("rest.limits", LIMITS)).status()).isEqualTo(200);
        assertThat(http.metrics().retries()).isEqualTo(2);
        assertThat(http.metrics().calls("rest.limits")).isEqualTo(3);
    }

    @Test
    void aStalledCallTimesOutAndIsRetried(Emulator emulator) {
        SalesforceHttp http = http(emulator, new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50)),
                Duration.ofMillis(500));
        http.send(SalesforceHttp.Call.get("rest.limits", LIMITS));
        emulator.faults().timeOut("rest.limits", 1, Duration.ofSeconds(3));

        assertThat(http.send(SalesforceHttp.Call.get("rest.limits", LIMITS)).status()).isEqualTo(200);
        assertThat(http.metrics().retries()).isEqualTo(1);
    }

    @Test
    void retriesRunOutIntoARetriableError(Emulator emulator) {
        SalesforceHttp http = http(emulator);
        emulator.faults().failWithStatus("rest.limits", 10, 500);

        SalesforceException e = catchThrowableOfType(SalesforceException.class,
                () -> http.send(SalesforceHttp.Call.get("rest.limits", LIMITS)));

        assertThat(e.category()).isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(e.errorCode()).isEqualTo("UNKNOWN_EXCEPTION");
        assertThat(http.metrics().retries()).isEqualTo(3);
        assertThat(http.metrics().failures(ErrorCategory.RETRIABLE)).isEqualTo(1);
    }

    @Test
    void exhaustedApiAllocationIsALimitErrorAndNotRetried(Emulator emulator) {
        SalesforceHttp http = http(emulator);
        http.send(SalesforceHttp.Call.get("rest.limits", LIMITS));
        emulator.limits().setDailyMax(5);
        emulator.limits().setUsed(5);

        SalesforceException e = catchThrowableOfType(SalesforceException.class,
                () -> http.send(SalesforceHttp.Call.get("rest.limits", LIMITS)));

        assertThat(e.category()).isEqualTo(ErrorCategory.LIMIT);
        assertThat(e.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(http.metrics().retries()).isZero();
    }

    @Test
    void aBadRequestIsFatalAndARowLockRetriable(Emulator emulator) {
        SalesforceHttp http = http(emulator);

        SalesforceException malformed = catchThrowableOfType(SalesforceException.class, () -> http.send(
                SalesforceHttp.Call.get("rest.query", "/services/data/v61.0/query?q=SELEKT+Id")));
        assertThat(malformed.category()).isEqualTo(ErrorCategory.FATAL);
        assertThat(malformed.errorCode()).isEqualTo("MALFORMED_QUERY");
        assertThat(malformed.getMessage()).contains("GET /services/data/v61.0/query").doesNotContain("?q=");

        emulator.faults().lockRows(1);
        assertThat(http.send(SalesforceHttp.Call.json("rest.sobject", "POST", "/services/data/v61.0/sobjects/Account",
                "{\"Name\":\"locked once\"}")).status()).isEqualTo(201);
        assertThat(http.metrics().retries()).isEqualTo(1);
    }

    @Test
    void failuresNeverShowTheTokenOrTheInstanceUrl(Emulator emulator) {
        SalesforceHttp http = http(emulator);
        String token = http.session().token().value();
        emulator.faults().failWithStatus("rest.limits", 10, 503);

        SalesforceException e = catchThrowableOfType(SalesforceException.class,
                () -> http.send(SalesforceHttp.Call.get("rest.limits", LIMITS)));

        assertThat(e.getMessage()).doesNotContain(token).doesNotContain(emulator.baseUri().toString())
                .doesNotContain("127.0.0.1");
        assertThat(http.session().token().toString()).doesNotContain(token).doesNotContain("127.0.0.1");
    }

    private static SalesforceHttp governed(Emulator emulator, ApiGovernor governor) {
        Credentials credentials = new Credentials.ClientCredentials(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET);
        return new SalesforceHttp(new SalesforceSession(credentials, CLIENT, Duration.ofSeconds(10),
                Clock.systemUTC()), CLIENT, new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10)),
                Duration.ofSeconds(10), "lockstep-test", governor);
    }

    @Test
    void callsInsideTheBudgetReserveAreHeldWithoutReachingSalesforce(Emulator emulator) {
        SalesforceHttp http = governed(emulator, new ApiGovernor(0.2, 5, Duration.ofMillis(20),
                Duration.ofMillis(200)));
        emulator.limits().setDailyMax(1_000);
        emulator.limits().setUsed(900);
        http.send(SalesforceHttp.Call.get("rest.limits", LIMITS));
        long before = emulator.counters().get("rest.describe");

        SalesforceException e = catchThrowableOfType(SalesforceException.class, () -> http.send(
                SalesforceHttp.Call.get("rest.describe", "/services/data/v61.0/sobjects")));

        assertThat(e.category()).isEqualTo(ErrorCategory.LIMIT);
        assertThat(e.errorCode()).isEqualTo("API_BUDGET");
        assertThat(emulator.counters().get("rest.describe")).isEqualTo(before);
    }

    @Test
    void aHeldCallGoesOnceTheBudgetFreesUp(Emulator emulator) throws Exception {
        SalesforceHttp http = governed(emulator, new ApiGovernor(0.2, 5, Duration.ofMillis(20),
                Duration.ofSeconds(20)));
        emulator.limits().setDailyMax(1_000);
        emulator.limits().setUsed(950);
        http.send(SalesforceHttp.Call.get("rest.limits", LIMITS));
        java.util.concurrent.CompletableFuture<Integer> held = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> http.send(SalesforceHttp.Call.get("rest.describe", "/services/data/v61.0/sobjects")).status());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> http.metrics().calls("rest.limits") >= 3);
        assertThat(held).isNotDone();

        emulator.limits().setUsed(100);

        assertThat(held.get(20, TimeUnit.SECONDS)).isEqualTo(200);
    }

    @Test
    void retryPolicyRejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(-1, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(400));
        for (int attempt = 0; attempt < 10; attempt++) {
            assertThat(policy.delay(attempt)).isBetween(Duration.ZERO, Duration.ofMillis(400));
        }
    }

    @Test
    void streamedCallsAreRetriedAndClassifiedLikeOthersAndHandTheBodyOverUnread(Emulator emulator) throws Exception {
        SalesforceHttp http = http(emulator);
        emulator.faults().failWithStatus("rest.limits", 2, 503);

        try (SalesforceHttp.Streamed reply = http.stream(SalesforceHttp.Call.get("rest.limits", LIMITS))) {
            assertThat(reply.status()).isEqualTo(200);
            assertThat(new String(reply.body().readAllBytes(), StandardCharsets.UTF_8)).contains("DailyApiRequests");
        }
        assertThat(http.metrics().retries()).isEqualTo(2);

        SalesforceException missing = catchThrowableOfType(SalesforceException.class, () -> http.stream(
                SalesforceHttp.Call.get("rest.sobject", "/services/data/v61.0/sobjects/Account/001000000000000AAA")));
        assertThat(missing.httpStatus()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(missing.category()).isEqualTo(ErrorCategory.FATAL);
    }
}
