package dev.lockstep.emulator.pubsub;

import static dev.lockstep.emulator.pubsub.PubSubTestClient.first;
import static dev.lockstep.emulator.pubsub.PubSubTestClient.header;
import static dev.lockstep.emulator.pubsub.PubSubTestClient.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.Http;
import dev.lockstep.emulator.cdc.ChangeEvent;
import dev.lockstep.emulator.pubsub.PubSubTestClient.Subscription;
import dev.lockstep.emulator.pubsub.proto.ConsumerEvent;
import dev.lockstep.emulator.pubsub.proto.ReplayPreset;
import dev.lockstep.emulator.pubsub.proto.TopicRequest;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Event payloads as a client decodes them: the schema from GetSchema, the Avro datum, values by Salesforce type,
 * the body by change type, and the field bitmaps expanded with reference §5.4's algorithm.
 */
class PubSubPayloadTest {

    private static final String V = "/services/data/v61.0";
    /** {@code 0x} and whole bytes of uppercase hex, as every documented example. */
    private static final String TOP_BITMAP = "0x([0-9A-F]{2})+";
    private static final String COMPOUND_BITMAP = "\\d+-0x([0-9A-F]{2})+";

    private Emulator emulator;
    private Http http;
    private PubSubTestClient client;

    @BeforeEach
    void start() {
        emulator = Emulator.start(EmulatorConfig.defaults());
        http = new Http(emulator);
        client = PubSubTestClient.connect(emulator);
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private String create(String object, Map<String, Object> fields) {
        Http.Reply reply = http.post(V + "/sobjects/" + object, Http.json(fields));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    private void update(String object, String id, Map<String, Object> fields) {
        Http.Reply reply = http.patch(V + "/sobjects/" + object + "/" + id, Http.json(fields));
        assertThat(reply.status()).as(reply.text()).isEqualTo(204);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private List<ConsumerEvent> events(String topic, int n) {
        return client.subscribe(first(topic, ReplayPreset.EARLIEST, 100)).events(n);
    }

    /** The bus's own view of the event a Pub/Sub event was made from. */
    private ChangeEvent busEvent(ConsumerEvent event) {
        long replayId = PubSubTestClient.replayId(event.getReplayId());
        return emulator.cdc().subscribe("/data/ChangeEvents", dev.lockstep.emulator.cdc.ReplayFrom.after(
                replayId - 1)).poll(1).get(0).event();
    }

    @Test
    void createCarriesEveryFieldAsItsAvroType() {
        byte[] attachment = {1, 2, 3, (byte) 0xFF};
        String id = create("Sync_Sample__c", map("Name", "sample", "Text__c", "text", "Flag__c", true,
                "Quantity__c", 3, "Ratio__c", 0.25, "Amount__c", 12.5, "Discount__c", 15,
                "Due_Date__c", "2024-05-01", "Due_At__c", "2024-05-01T10:20:30.000Z", "Alarm_Time__c", "10:20:30.000Z",
                "Attachment__c", Base64.getEncoder().encodeToString(attachment), "Address__City__s", "Paris",
                "Location__Latitude__s", 1.5, "Location__Longitude__s", 2.5));

        ConsumerEvent event = events("/data/Sync_Sample__ChangeEvent", 1).get(0);
        GenericRecord record = client.decode(event);

        GenericRecord header = header(record);
        assertThat(header.get("entityName").toString()).isEqualTo("Sync_Sample__c");
        assertThat(header.get("changeType").toString()).isEqualTo("CREATE");
        assertThat(((List<?>) header.get("recordIds")).stream().map(Object::toString)).containsExactly(id);
        assertThat(header.get("changeOrigin").toString()).isEqualTo("com/salesforce/api/rest/61.0");
        assertThat(header.get("sequenceNumber")).isEqualTo(1);
        assertThat((Long) header.get("commitTimestamp")).isPositive();
        assertThat((Long) header.get("commitNumber")).isPositive();
        assertThat(header.get("commitUser").toString()).isEqualTo(emulator.adminUserId());
        assertThat(header.get("transactionKey").toString()).isNotBlank();
        assertThat((List<?>) header.get("changedFields")).as("CREATE lists no changed fields").isEmpty();
        assertThat((List<?>) header.get("nulledFields")).isEmpty();
        assertThat((List<?>) header.get("diffFields")).isEmpty();

        assertThat(record.get("Name").toString()).isEqualTo("sample");
        assertThat(record.get("Text__c").toString()).isEqualTo("text");
        assertThat(record.get("Flag__c")).isEqualTo(true);
        assertThat(record.get("Quantity__c")).isEqualTo(3);
        assertThat(record.get("Ratio__c")).isEqualTo(0.25);
        assertThat(record.get("Amount__c")).as("currency as double").isEqualTo(12.5);
        assertThat(record.get("Discount__c")).isEqualTo(15.0);
        assertThat(record.get("Due_Date__c")).as("date: epoch ms at 00:00 UTC")
                .isEqualTo(LocalDate.of(2024, 5, 1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli());
        assertThat(record.get("Due_At__c")).isEqualTo(Instant.parse("2024-05-01T10:20:30Z").toEpochMilli());
        assertThat(record.get("Alarm_Time__c")).as("time: ms since midnight")
                .isEqualTo(LocalTime.of(10, 20, 30).toNanoOfDay() / 1_000_000);
        assertThat(((ByteBuffer) record.get("Attachment__c")).array()).containsExactly(attachment);
        GenericRecord address = (GenericRecord) record.get("Address__c");
        assertThat(address.get("City").toString()).isEqualTo("Paris");
        assertThat(address.get("PostalCode")).isNull();
        GenericRecord location = (GenericRecord) record.get("Location__c");
        assertThat(location.get("Latitude")).isEqualTo(1.5);
        assertThat(location.get("Longitude")).isEqualTo(2.5);
        assertThat(record.get("Code__c")).as("empty fields are null").isNull();
        assertThat(record.get("CreatedDate")).isInstanceOf(Long.class);
        assertThat(record.getSchema().getField("Total__c")).as("formula fields are left out").isNull();
        assertThat(record.getSchema().getField("SystemModstamp")).isNull();
    }

    @Test
    void updateCarriesOnlyChangedFieldsAndBitmaps() {
        String id = create("Account", map("Name", "Acme", "Phone", "555", "Industry", "Energy",
                "BillingCity", "Oakland"));
        emulator.clock().advance(java.time.Duration.ofSeconds(1));
        update("Account", id, map("BillingCity", "Paris", "BillingStreet", "1 Main St", "Phone", null));

        ConsumerEvent event = events("/data/AccountChangeEvent", 2).get(1);
        GenericRecord record = client.decode(event);
        Schema schema = record.getSchema();

        assertThat(header(record).get("changeType").toString()).isEqualTo("UPDATE");
        List<String> changed = raw(record, "changedFields");
        int billing = schema.getField("BillingAddress").pos();
        assertThat(changed.get(0)).matches(TOP_BITMAP);
        assertThat(changed.subList(1, changed.size())).allMatch(e -> e.matches(COMPOUND_BITMAP))
                .anyMatch(e -> e.startsWith(billing + "-0x"));
        assertThat(client.names(event, record, "changedFields")).as("expanded by the reference algorithm")
                .containsExactlyInAnyOrderElementsOf(busEvent(event).changedFields())
                .contains("Phone", "LastModifiedDate", "BillingAddress.City", "BillingAddress.Street")
                .doesNotContain("BillingAddress", "Name", "ChangeEventHeader");
        assertThat(client.names(event, record, "nulledFields")).containsExactly("Phone");

        GenericRecord address = (GenericRecord) record.get("BillingAddress");
        assertThat(address.get("City").toString()).isEqualTo("Paris");
        assertThat(address.get("Street").toString()).isEqualTo("1 Main St");
        assertThat(address.get("State")).isNull();
        assertThat(record.get("Name")).as("unchanged: null although the record has a name").isNull();
        assertThat(record.get("Industry")).isNull();
        assertThat(record.get("Phone")).isNull();
        assertThat(record.get("LastModifiedDate")).isInstanceOf(Long.class);
    }

    @Test
    void aCompoundComponentAloneStillHasAnElementZero() {
        String id = create("Account", map("Name", "Acme", "BillingCity", "Oakland"));
        update("Account", id, map("BillingCity", null));

        ConsumerEvent event = events("/data/AccountChangeEvent", 2).get(1);
        GenericRecord record = client.decode(event);
        int billing = record.getSchema().getField("BillingAddress").pos();
        int city = FieldBitmaps.nestedRecord(record.getSchema().getField("BillingAddress").schema())
                .getField("City").pos();

        assertThat(raw(record, "nulledFields")).containsExactly("0x00",
                billing + "-" + FieldBitmaps.hex(java.util.BitSet.valueOf(new long[] {1L << city})));
        assertThat(client.names(event, record, "nulledFields")).containsExactly("BillingAddress.City");
        GenericRecord address = (GenericRecord) record.get("BillingAddress");
        assertThat(address).as("the compound's record, with the nulled component null").isNotNull();
        assertThat(address.get("City")).isNull();
    }

    @Test
    void theCompoundsOwnBitIsOptional() {
        emulator.pubsub().setCompoundParentBit(true);
        String id = create("Account", map("Name", "Acme"));
        update("Account", id, map("BillingCity", "Paris"));

        ConsumerEvent event = events("/data/AccountChangeEvent", 2).get(1);
        GenericRecord record = client.decode(event);

        assertThat(client.names(event, record, "changedFields")).contains("BillingAddress", "BillingAddress.City");
    }

    @Test
    void deleteIsHeaderOnlyAndUndeleteCarriesTheRecord() {
        String id = create("Lead", map("LastName", "Lovelace", "Company", "Analytical"));
        http.delete(V + "/sobjects/Lead/" + id);
        new Http(emulator.baseUri(), null).post("/__emulator/undelete", Http.json(Map.of("ids", List.of(id))));

        List<ConsumerEvent> events = events("/data/LeadChangeEvent", 3);
        GenericRecord deleted = client.decode(events.get(1));
        GenericRecord undeleted = client.decode(events.get(2));

        assertThat(header(deleted).get("changeType").toString()).isEqualTo("DELETE");
        assertThat(((List<?>) header(deleted).get("recordIds")).stream().map(Object::toString)).containsExactly(id);
        for (Schema.Field field : deleted.getSchema().getFields().subList(1, deleted.getSchema().getFields().size())) {
            assertThat(deleted.get(field.pos())).as(field.name()).isNull();
        }
        assertThat(header(undeleted).get("changeType").toString()).isEqualTo("UNDELETE");
        assertThat(undeleted.get("Company").toString()).isEqualTo("Analytical");
        assertThat(((GenericRecord) undeleted.get("Name")).get("LastName").toString()).isEqualTo("Lovelace");
    }

    @Test
    void personNamesAreNestedRecords() {
        create("Contact", map("FirstName", "Ada", "LastName", "Lovelace"));

        GenericRecord record = client.decode(events("/data/ContactChangeEvent", 1).get(0));

        GenericRecord name = (GenericRecord) record.get("Name");
        assertThat(name.get("FirstName").toString()).isEqualTo("Ada");
        assertThat(name.get("LastName").toString()).isEqualTo("Lovelace");
        assertThat(record.getSchema().getField("FirstName")).isNull();
    }

    @Test
    void gapAndOverflowEventsCarryTheHeaderOnly() {
        String id = create("Account", map("Name", "Acme"));
        emulator.cdc().injectGap("Account", "GAP_UPDATE", List.of(id));
        emulator.cdc().injectOverflow("Account");

        List<ConsumerEvent> events = events("/data/AccountChangeEvent", 3);
        GenericRecord gap = client.decode(events.get(1));
        GenericRecord overflow = client.decode(events.get(2));

        assertThat(header(gap).get("changeType").toString()).isEqualTo("GAP_UPDATE");
        assertThat(((List<?>) header(gap).get("recordIds")).stream().map(Object::toString)).containsExactly(id);
        assertThat(gap.get("Name")).isNull();
        assertThat((List<?>) header(gap).get("changedFields")).isEmpty();
        assertThat(header(overflow).get("changeType").toString()).isEqualTo("GAP_OVERFLOW");
        assertThat(header(overflow).get("entityName").toString()).isEqualTo("Account");
        assertThat((List<?>) header(overflow).get("recordIds")).isEmpty();
        assertThat(overflow.get("Name")).isNull();
    }

    @Test
    void aFieldChangeGivesLaterEventsANewSchemaId() {
        Subscription s = client.subscribe(first("/data/Product2ChangeEvent", ReplayPreset.EARLIEST, 100));
        create("Product2", map("Name", "before"));
        ConsumerEvent before = s.events(1).get(0);
        new Http(emulator.baseUri(), null).post("/__emulator/schema/Product2/fields",
                Http.json(Map.of("name", "Color__c", "type", "string", "length", 20)));

        create("Product2", map("Name", "after", "Color__c", "red"));

        ConsumerEvent after = s.events(1).get(0);
        assertThat(after.getEvent().getSchemaId()).isNotEqualTo(before.getEvent().getSchemaId());
        assertThat(client.decode(after).get("Color__c").toString()).isEqualTo("red");
        assertThat(client.decode(before).getSchema().getField("Color__c")).isNull();
        assertThat(client.blocking.getTopic(TopicRequest.newBuilder().setTopicName("/data/Product2ChangeEvent")
                .build()).getSchemaId()).isEqualTo(after.getEvent().getSchemaId());
    }

    @Test
    void theAllEntitiesChannelNamesEachEventsSchema() {
        create("Account", map("Name", "Acme"));
        create("Contact", map("LastName", "Lovelace"));

        List<ConsumerEvent> events = events("/data/ChangeEvents", 2);

        assertThat(events.get(0).getEvent().getSchemaId()).isEqualTo(emulator.cdc().schemaOf("Account").id());
        assertThat(events.get(1).getEvent().getSchemaId()).isEqualTo(emulator.cdc().schemaOf("Contact").id());
        assertThat(client.decode(events.get(0)).get("Name").toString()).isEqualTo("Acme");
        assertThat(header(client.decode(events.get(1))).get("entityName").toString()).isEqualTo("Contact");
        assertThat(emulator.cdc().deliveredCounts()).containsEntry("pubsub /data/ChangeEvents", 2L);
    }

    @Test
    void theDirectWriterWritesWhatGenericDatumWriterWrites() {
        String sample = create("Sync_Sample__c", map("Name", "sample", "Text__c", "text", "Flag__c", false,
                "Quantity__c", -3, "Ratio__c", 0.25, "Amount__c", 12.5, "Due_Date__c", "2024-05-01",
                "Alarm_Time__c", "10:20:30.000Z", "Attachment__c", "AQID", "Address__City__s", "Paris",
                "Location__Latitude__s", 1.5));
        update("Sync_Sample__c", sample, map("Address__City__s", null, "Address__PostalCode__s", "75001",
                "Text__c", null, "Quantity__c", 4));
        String account = create("Account", map("Name", "Acme", "BillingCity", "Oakland", "AnnualRevenue", 1e9));
        update("Account", account, map("BillingCity", "Paris"));
        create("Contact", map("FirstName", "Ada", "LastName", "Lovelace"));
        http.delete(V + "/sobjects/Account/" + account);
        emulator.cdc().injectGap("Account", "GAP_CREATE", List.of(account));
        emulator.cdc().injectOverflow("Contact");

        EventPayloads payloads = new EventPayloads(emulator.org().orgId());
        List<dev.lockstep.emulator.cdc.StoredEvent> events = emulator.cdc().subscribe("/data/ChangeEvents",
                dev.lockstep.emulator.cdc.ReplayFrom.earliest()).poll(100);
        assertThat(events).hasSize(8);
        for (boolean parentBit : new boolean[] {false, true}) {
            payloads.setCompoundParentBit(parentBit);
            for (var stored : events) {
                ChangeEvent event = stored.event();
                assertThat(DirectWriter.of(event.schema().avro())).as(event.eventName()).isNotNull();
                assertThat(payloads.payload(event)).as(event.changeType() + " " + event.eventName())
                        .containsExactly(payloads.genericPayload(event));
            }
        }
    }
}
