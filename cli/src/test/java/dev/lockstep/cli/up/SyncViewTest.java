package dev.lockstep.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyncViewTest {

    @Test
    void progressLineFillsTheBarInProportionAndSaysWhenDone() {
        assertThat(SyncView.progressLine("Account", 500, 1000, false))
                .isEqualTo("  Account              [###############---------------]       500 / 1,000");
        assertThat(SyncView.progressLine("Account", 1000, 1000, true)).endsWith("1,000 / 1,000  done")
                .contains("[" + "#".repeat(30) + "]");
    }

    @Test
    void objectWithoutRecordsShowsAFullBar() {
        assertThat(SyncView.progressLine("Opportunity", 0, 0, true)).contains("[" + "#".repeat(30) + "]")
                .endsWith("0 / 0  done");
    }

    @Test
    void firstLineOfATraceIsItsMessage() {
        assertThat(SyncView.firstLine("org.apache.kafka.connect.errors.ConnectException: boom\n\tat x.y(Z.java:1)"))
                .isEqualTo("org.apache.kafka.connect.errors.ConnectException: boom");
    }
}
