package dev.lockstep.salesforce.client.cometd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.streaming.ChangeEvent;
import dev.lockstep.salesforce.client.streaming.ReplayId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Typing of CometD values by Avro schema shapes the emulator does not produce: Salesforce's Account schema
 * (reference §6.5) with a string-or-person-name union, a named record referenced a second time by name, and a doc
 * with a custom-field suffix. Values are given as CometD's Jetty JSON parses them (Long numbers, Object[] arrays).
 */
class EventConverterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = """
            {"type":"record","name":"AccountChangeEvent","namespace":"com.sforce.eventbus","fields":[
              {"name":"ChangeEventHeader","type":{"type":"record","name":"ChangeEventHeader","fields":[]}},
              {"name":"Name","type":["null","string",{"type":"record","name":"Switchable_PersonName","fields":[
                {"name":"FirstName","type":["null","string"]},{"name":"LastName","type":["null","string"]}]}]},
              {"name":"BillingAddress","type":["null",{"type":"record","name":"Address","fields":[
                {"name":"City","type":["null","string"]},{"name":"Latitude","type":["null","double"]}]}]},
              {"name":"ShippingAddress","type":["null","com.sforce.eventbus.Address"]},
              {"name":"NumberOfEmployees","type":["null","int"],"doc":"Data:Integer"},
              {"name":"AnnualRevenue","type":["null","double"],"doc":"Data:Currency"},
              {"name":"Renewal__c","type":["null","long"],"doc":"Data:DateTime:00N123"},
              {"name":"Founded__c","type":["null","long"],"doc":"Data:DateOnly:00N456"},
              {"name":"CreatedDate","type":["null","long"],"doc":"CreatedDate:DateTime"}]}""";

    private static Map<String, Object> data(Map<String, Object> fields) {
        Map<String, Object> header = new HashMap<>();
        header.put("entityName", "Account");
        header.put("recordIds", new Object[] {"0015f00002JUXA8AAP"});
        header.put("changeType", "UPDATE");
        header.put("changeOrigin", "com/salesforce/api/rest/61.0");
        header.put("transactionKey", "00006bec-ce66-0611-9018-30a98446c9f2");
        header.put("sequenceNumber", 1L);
        header.put("commitTimestamp", 1714156685000L);
        header.put("commitNumber", 1100670838951L);
        header.put("commitUser", "0055f000005mc66AAA");
        header.put("changedFields", new Object[] {"Name", "BillingAddress.City", "LastModifiedDate"});
        Map<String, Object> payload = new LinkedHashMap<>(fields);
        payload.put("ChangeEventHeader", header);
        return Map.of("schema", "IeRuaY6cbI_HsV8Rv1Mc5g", "payload", payload, "event", Map.of("replayId", 2142249L));
    }

    private static JsonNode schema() {
        try {
            return JSON.readTree(SCHEMA);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void typesValuesByTheSchemaAndReadsTheHeader() {
        AtomicInteger fetches = new AtomicInteger();
        EventConverter converter = new EventConverter(id -> {
            fetches.incrementAndGet();
            return schema();
        });
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", Map.of("FirstName", "Ada", "LastName", "Lovelace"));
        fields.put("BillingAddress", Map.of("City", "Oakland", "Latitude", 37L));
        fields.put("ShippingAddress", Map.of("City", "Paris"));
        fields.put("NumberOfEmployees", 12L);
        fields.put("AnnualRevenue", 1000L);
        fields.put("Renewal__c", "2024-04-26T18:38:05.000Z");
        fields.put("Founded__c", "1999-12-31");
        fields.put("CreatedDate", null);
        fields.put("Unknown__c", new Object[] {"a", "b"});

        ChangeEvent event = converter.convert("/data/AccountChangeEvent", data(fields));
        converter.convert("/data/AccountChangeEvent", data(Map.of("Name", "Acme")));

        assertThat(event.replayId()).isEqualTo(ReplayId.ofLong(2142249L));
        assertThat(event.header().recordIds()).containsExactly("0015f00002JUXA8AAP");
        assertThat(event.header().changedFields()).containsExactly("Name", "BillingAddress.City", "LastModifiedDate");
        assertThat(event.header().commitTimestamp()).isEqualTo(Instant.ofEpochMilli(1714156685000L));
        assertThat(event.header().sequenceNumber()).isEqualTo(1);
        assertThat(event.fields())
                .containsEntry("Name", Map.of("FirstName", "Ada", "LastName", "Lovelace"))
                .containsEntry("BillingAddress", Map.of("City", "Oakland", "Latitude", 37.0))
                .containsEntry("ShippingAddress", Map.of("City", "Paris"))
                .containsEntry("NumberOfEmployees", 12)
                .containsEntry("AnnualRevenue", 1000.0)
                .containsEntry("Renewal__c", Instant.parse("2024-04-26T18:38:05Z"))
                .containsEntry("Founded__c", LocalDate.of(1999, 12, 31))
                .containsEntry("CreatedDate", null)
                .containsEntry("Unknown__c", List.of("a", "b"));
        assertThat(fetches).hasValue(1);
    }

    @Test
    void aBusinessAccountNameStaysAString() {
        EventConverter converter = new EventConverter(id -> schema());
        assertThat(converter.convert("/data/AccountChangeEvent", data(Map.of("Name", "Acme"))).fields())
                .containsEntry("Name", "Acme");
    }

    @Test
    void aLongTextDiffBecomesTheDiffTextListedInDiffFieldsAsPubSubSendsIt() {
        EventConverter converter = new EventConverter(id -> schema());
        String diff = "--- \n+++ abc\n@@ -1,1 +1,1 @@\n-old\n+new\n";
        ChangeEvent event = converter.convert("/data/AccountChangeEvent",
                data(Map.of("Description", Map.of("diff", diff))));
        assertThat(event.fields()).containsEntry("Description", diff);
        assertThat(event.header().diffFields()).containsExactly("Description");
    }

    @Test
    void aValueThatDoesNotFitItsTypeStopsTheStreamRatherThanPassingUntyped() {
        EventConverter converter = new EventConverter(id -> schema());
        assertThatThrownBy(() -> converter.convert("/data/AccountChangeEvent",
                data(Map.of("Founded__c", "not a date"))))
                .isInstanceOf(SalesforceException.class)
                .satisfies(e -> assertThat(((SalesforceException) e).category()).isEqualTo(ErrorCategory.FATAL))
                .hasMessageContaining("Founded__c");
    }
}
