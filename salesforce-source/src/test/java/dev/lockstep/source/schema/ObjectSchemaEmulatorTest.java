package dev.lockstep.source.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.bulk.BulkRows;
import dev.lockstep.salesforce.client.streaming.ChangeEvent;
import dev.lockstep.salesforce.client.streaming.EventSink;
import dev.lockstep.salesforce.client.streaming.ReplayFrom;
import dev.lockstep.salesforce.client.streaming.Subscription;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The conversions against what a (emulated) org really sends, through the real client: the describe it serves,
 * REST and Bulk records, and Pub/Sub change events. The same record read and streamed gives equal {@code after}
 * structs, except for the fields events never carry.
 */
class ObjectSchemaEmulatorTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults()
            .withPubSubPorts(0, 0));

    private static final SchemaOptions[] MODES = {new SchemaOptions(false, false), new SchemaOptions(true, true)};

    private static SalesforceClient client;
    private static Subscription subscription;
    private static final BlockingQueue<ChangeEvent> EVENTS = new LinkedBlockingQueue<>();
    private static final BlockingQueue<SalesforceException> FAILURES = new LinkedBlockingQueue<>();

    @BeforeAll
    static void subscribe() {
        Emulator emulator = SALESFORCE.emulator();
        client = SalesforceClient.create(SalesforceClient.Config.of(new Credentials.ClientCredentials(
                emulator.baseUri(), EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET))
                .withPubSub(emulator.pubsub().target(), null, true));
        subscription = client.pubsub().subscribe("/data/ChangeEvents", ReplayFrom.earliest(), new EventSink() {
            @Override
            public int remainingCapacity() {
                return 1_000;
            }

            @Override
            public void accept(List<ChangeEvent> batch) {
                EVENTS.addAll(batch);
            }

            @Override
            public void failed(SalesforceException failure) {
                FAILURES.add(failure);
            }
        });
    }

    @AfterAll
    static void close() throws Exception {
        subscription.close();
        client.close();
    }

    /** The next event of a record, skipping other records' events. */
    private static ChangeEvent nextEvent(String recordId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            ChangeEvent e = EVENTS.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(e).as("an event of %s (failures: %s)", recordId, FAILURES).isNotNull();
            if (e.header().recordIds().contains(recordId)) {
                return e;
            }
        }
    }

    private static ObjectNode json() {
        return Describes.JSON.createObjectNode();
    }

    private static Map<String, Object> restRecord(ObjectSchema schema, String id) {
        Iterator<Map<String, Object>> rows = client.rest().queryTyped(schema.object(), "SELECT "
                + String.join(", ", schema.selectFields()) + " FROM " + schema.object() + " WHERE Id = '" + id + "'");
        Map<String, Object> row = rows.next();
        assertThat(rows.hasNext()).isFalse();
        return row;
    }

    /** {@code fromRecord} without the fields events never carry, which the event leaves null. */
    private static Struct withoutFieldsNotInEvents(ObjectSchema schema, Struct fromRecord) {
        Struct copy = new Struct(schema.afterSchema());
        for (Field f : schema.afterSchema().fields()) {
            if (!schema.fieldsNotInEvents().contains(f.name())) {
                copy.put(f, fromRecord.get(f));
            }
        }
        return copy;
    }

    @Test
    void aSyncSampleReadThroughRestAndBulkEqualsItsCreateEvent() throws Exception {
        ObjectNode values = json().put("Name", "schema ✓").put("Text__c", "Zoë").put("Colors__c", "Red;Blue")
                .put("Flag__c", true).put("Quantity__c", 3).put("Ratio__c", 0.1234567).put("Amount__c", 12.5)
                .put("Discount__c", 7.25).put("Due_Date__c", "2031-02-28")
                .put("Due_At__c", "2031-02-28T13:14:15.678Z").put("Alarm_Time__c", "07:30:00.000Z")
                .put("Email__c", "zoe@example.com").put("Attachment__c",
                        Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}))
                .put("Address__Street__s", "1 rue de la République").put("Address__City__s", "Lyon")
                .put("Address__PostalCode__s", "69002").put("Location__Latitude__s", 45.75)
                .put("Location__Longitude__s", 4.85);
        String id = client.rest().create("Sync_Sample__c", values);
        ChangeEvent created = nextEvent(id);
        JsonNode describe = client.rest().describe("Sync_Sample__c");

        for (SchemaOptions options : MODES) {
            ObjectSchema schema = ObjectSchema.of(describe, f -> true, options, "lockstep.Sync_Sample__c", 1);
            Map<String, Object> rest = restRecord(schema, id);
            // A REST record holds the blob's URL, not its bytes (see ObjectSchema.base64Fields).
            assertThat(rest.get("Attachment__c")).asString().contains("/Attachment__c");
            rest.remove("Attachment__c");
            Struct fromRest = schema.afterFromRecord(rest);
            Struct fromBulk;
            try (BulkRows<Map<String, Object>> rows = client.bulk().query("SELECT "
                    + String.join(", ", schema.selectFields()) + " FROM Sync_Sample__c WHERE Id = '" + id + "'")) {
                fromBulk = schema.afterFromRecord(rows.next());
                assertThat(rows.hasNext()).isFalse();
            }
            Struct fromEvent = schema.afterFromEvent(id, created.fields());

            assertThat(fromBulk.getBytes("Attachment__c")).containsExactly(1, 2, 3);
            fromBulk.put("Attachment__c", null);
            assertThat(fromRest).as("REST and Bulk, %s", options).isEqualTo(fromBulk);
            fromRest.put("Attachment__c", new byte[] {1, 2, 3});
            assertThat(fromEvent).as("REST and event, %s", options)
                    .isEqualTo(withoutFieldsNotInEvents(schema, fromRest));
            assertThat(fromEvent.getString("Address__City__s")).isEqualTo("Lyon");
            assertThat(fromEvent.get("Location__Latitude__s")).isNotNull();
            assertThat(fromRest.get("Total__c")).isNotNull();
            assertThat(schema.fieldsNotInEvents()).containsExactly("IsDeleted", "SystemModstamp", "Total__c");
        }
    }

    @Test
    void updateHeadersNameTheAfterFieldsTheyChangedAndNulled() throws Exception {
        String id = client.rest().create("Sync_Sample__c", json().put("Name", "headers").put("Text__c", "x")
                .put("Address__City__s", "Lyon").put("Location__Latitude__s", 1.5).put("Location__Longitude__s", 2.5));
        nextEvent(id);
        client.rest().update("Sync_Sample__c", id, json().put("Address__City__s", "Paris").putNull("Text__c")
                .put("Location__Longitude__s", 3.5));
        ChangeEvent updated = nextEvent(id);
        ObjectSchema schema = ObjectSchema.of(client.rest().describe("Sync_Sample__c"), f -> true, MODES[0],
                "lockstep.Sync_Sample__c", 1);

        List<String> changed = schema.afterFieldNames(updated.header().changedFields());
        List<String> nulled = schema.afterFieldNames(updated.header().nulledFields());
        Struct after = schema.afterFromEvent(id, updated.fields());

        assertThat(updated.header().changedFields()).contains("Address__c.City");
        assertThat(changed).contains("Text__c", "Address__City__s", "Location__Longitude__s", "LastModifiedDate")
                .doesNotContain("Address__c", "Location__c", "Name");
        assertThat(nulled).containsExactly("Text__c");
        assertThat(after.getString("Address__City__s")).isEqualTo("Paris");
        assertThat(after.getFloat64("Location__Longitude__s")).isEqualTo(3.5);
        List<String> carried = new ArrayList<>();
        for (Field f : schema.afterSchema().fields()) {
            if (after.get(f) != null) {
                carried.add(f.name());
            }
        }
        assertThat(changed).containsAll(carried.stream().filter(f -> !f.equals("Id")).toList());
    }

    @Test
    void anAccountsBillingAddressAndAContactsNameMatchBetweenRestAndEvents() throws Exception {
        String accountId = client.rest().create("Account", json().put("Name", "Acme").put("BillingStreet", "1 Market")
                .put("BillingCity", "San Francisco").put("BillingPostalCode", "94105").put("BillingLatitude", 37.7936)
                .put("BillingLongitude", -122.3958).put("AnnualRevenue", 1_000_000.5).put("NumberOfEmployees", 12));
        ChangeEvent accountCreated = nextEvent(accountId);
        String contactId = client.rest().create("Contact", json().put("Salutation", "Ms.").put("FirstName", "Ada")
                .put("LastName", "Lovelace").put("AccountId", accountId).put("MailingCity", "London")
                .put("Birthdate", "1815-12-10"));
        ChangeEvent contactCreated = nextEvent(contactId);

        for (SchemaOptions options : MODES) {
            ObjectSchema account = ObjectSchema.of(client.rest().describe("Account"), f -> true, options,
                    "lockstep.Account", 1);
            ObjectSchema contact = ObjectSchema.of(client.rest().describe("Contact"), f -> true, options,
                    "lockstep.Contact", 1);

            Struct accountFromRest = account.afterFromRecord(restRecord(account, accountId));
            Struct accountFromEvent = account.afterFromEvent(accountId, accountCreated.fields());
            Struct contactFromRest = contact.afterFromRecord(restRecord(contact, contactId));
            Struct contactFromEvent = contact.afterFromEvent(contactId, contactCreated.fields());

            assertThat(accountCreated.fields().get("BillingAddress")).isInstanceOf(Map.class);
            assertThat(accountFromEvent).as("Account, %s", options)
                    .isEqualTo(withoutFieldsNotInEvents(account, accountFromRest));
            assertThat(accountFromEvent.getString("BillingCity")).isEqualTo("San Francisco");
            assertThat(contactCreated.fields().get("Name")).isInstanceOf(Map.class);
            assertThat(contactFromEvent).as("Contact, %s", options)
                    .isEqualTo(withoutFieldsNotInEvents(contact, contactFromRest));
            assertThat(contactFromEvent.getString("FirstName")).isEqualTo("Ada");
            assertThat(contactFromEvent.getString("Salutation")).isEqualTo("Ms.");
            assertThat(contactFromRest.getString("Name")).contains("Ada", "Lovelace");
            assertThat(contact.fieldsNotInEvents()).contains("Name");
        }
    }
}
