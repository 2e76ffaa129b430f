package dev.lockstep.salesforce.client.cometd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Salesforce's streaming allocation errors (reference §7.5) are limits, not transient failures. */
class LimitErrorTest {

    @Test
    void allocationErrorsAreLimits() {
        assertThat(CometdSubscription.isLimit("403::Organization total events daily limit exceeded")).isTrue();
        assertThat(CometdSubscription.isLimit("403::Organization concurrent user limit exceeded")).isTrue();
    }

    @Test
    void otherErrorsAreNot() {
        assertThat(CometdSubscription.isLimit("403::Unknown client")).isFalse();
        assertThat(CometdSubscription.isLimit("401::Authentication invalid")).isFalse();
        assertThat(CometdSubscription.isLimit("503::Server is too busy. Please try your request again later."))
                .isFalse();
        assertThat(CometdSubscription.isLimit(null)).isFalse();
    }
}
