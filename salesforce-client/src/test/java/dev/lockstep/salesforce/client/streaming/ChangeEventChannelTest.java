package dev.lockstep.salesforce.client.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChangeEventChannelTest {

    @Test
    void standardObjectsAppendChangeEvent() {
        assertThat(ChangeEventChannel.of("Account")).isEqualTo("/data/AccountChangeEvent");
    }

    @Test
    void customObjectsReplaceTheirSuffix() {
        assertThat(ChangeEventChannel.of("Invoice__c")).isEqualTo("/data/Invoice__ChangeEvent");
        assertThat(ChangeEventChannel.of("ns__Order_Line__c")).isEqualTo("/data/ns__Order_Line__ChangeEvent");
    }
}
