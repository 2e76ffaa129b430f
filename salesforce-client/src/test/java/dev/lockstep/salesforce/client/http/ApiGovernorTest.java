package dev.lockstep.salesforce.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ApiGovernorTest {

    @Test
    void readsUsageFromSforceLimitInfo() {
        ApiGovernor governor = new ApiGovernor(0.2, 5, Duration.ofMillis(10), Duration.ofMillis(100));

        governor.observe("api-usage=18/5000; per-app-api-usage=17/250(appName=sample)");

        assertThat(governor.used()).isEqualTo(18);
        assertThat(governor.max()).isEqualTo(5000);
        assertThat(governor.hasBudget()).isTrue();
    }

    @Test
    void unknownUsageNeverHoldsACall() {
        ApiGovernor governor = new ApiGovernor(0.5, 1, Duration.ofMillis(10), Duration.ofMillis(100));
        governor.observe("garbage");

        governor.beforeCall("GET /x");
        governor.afterCall();
    }

    @Test
    void callsInsideTheReserveAreHeldThenFailWithALimitError() {
        ApiGovernor governor = new ApiGovernor(0.2, 5, Duration.ofMillis(10), Duration.ofMillis(150));
        governor.observe("api-usage=900/1000");

        SalesforceException e = catchThrowableOfType(SalesforceException.class, () -> governor.beforeCall("GET /x"));

        assertThat(e.category()).isEqualTo(ErrorCategory.LIMIT);
        assertThat(e.getMessage()).contains("900/1000").contains("20% reserve");
    }

    @Test
    void aHeldCallProceedsOnceTheProbeShowsBudget() {
        ApiGovernor governor = new ApiGovernor(0.2, 5, Duration.ofMillis(10), Duration.ofSeconds(10));
        governor.observe("api-usage=950/1000");
        AtomicInteger probes = new AtomicInteger();
        governor.setProbe(() -> probes.incrementAndGet() < 3
                ? new OptionalLong[] {OptionalLong.of(950), OptionalLong.of(1000)}
                : new OptionalLong[] {OptionalLong.of(100), OptionalLong.of(1000)});

        governor.beforeCall("GET /x");

        assertThat(probes.get()).isEqualTo(3);
        assertThat(governor.inFlight()).isEqualTo(1);
        governor.afterCall();
        assertThat(governor.inFlight()).isZero();
    }

    @Test
    void requestLimitExceededMarksTheBudgetExhausted() {
        ApiGovernor governor = new ApiGovernor(0.0, 5, Duration.ofMillis(10), Duration.ofMillis(50));
        governor.observe("api-usage=10/1000");

        governor.exhausted();

        assertThat(governor.hasBudget()).isFalse();
    }

    @Test
    void atMostMaxConcurrentCallsAreInFlight() throws Exception {
        ApiGovernor governor = new ApiGovernor(0, 1, Duration.ofMillis(10), Duration.ofSeconds(10));
        governor.beforeCall("first");
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> governor.beforeCall("second"));

        assertThat(governor.inFlight()).isEqualTo(1);
        assertThat(second).isNotDone();
        governor.afterCall();
        second.get(10, TimeUnit.SECONDS);
        assertThat(governor.inFlight()).isEqualTo(1);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new ApiGovernor(1.0, 1, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("share");
        assertThatThrownBy(() -> new ApiGovernor(0.1, 0, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("maxConcurrent");
    }
}
