package dev.lockstep.salesforce.client.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.auth.SalesforceSession;
import dev.lockstep.salesforce.client.cometd.CometdClient;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import dev.lockstep.salesforce.client.http.SalesforceHttp;
import dev.lockstep.salesforce.client.pubsub.PubSubClient;
import dev.lockstep.salesforce.client.rest.RestApi;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Callers must not care which transport delivered an event: the same changes, subscribed through Pub/Sub and
 * through CometD, come out as equal {@link ChangeEvent}s (header, replay id, values), within what each transport
 * sends (CometD leaves empty fields out of creates and unchanged fields out of updates).
 */
class TransportParityTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults()
            .withPubSubPorts(0, 0));

    private static final String CHANNEL = "/data/Sync_Sample__ChangeEvent";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A sink that keeps every event and failure. */
    private static final class Queue implements EventSink {
        final BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        final BlockingQueue<SalesforceException> failures = new LinkedBlockingQueue<>();

        @Override
        public int remainingCapacity() {
            return 1_000;
        }

        @Override
        public void accept(List<ChangeEvent> batch) {
            events.addAll(batch);
        }

        @Override
        public void failed(SalesforceException failure) {
            failures.add(failure);
        }

        /** The events of one record, waiting for {@code count} of them. */
        List<ChangeEvent> of(String recordId, int count) throws InterruptedException {
            List<ChangeEvent> found = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (found.size() < count) {
                ChangeEvent e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(e).as("event %d of %s (failures: %s)", found.size() + 1, recordId, failures).isNotNull();
                if (e.header().recordIds().contains(recordId)) {
                    found.add(e);
                }
            }
            return found;
        }
    }

    @Test
    void pubSubAndCometdDeliverEqualEvents(Emulator emulator) throws Exception {
        emulator.cometd().setLongPollTimeout(Duration.ofSeconds(2));
        SalesforceSession session = new SalesforceSession(new Credentials.ClientCredentials(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET), HTTP, Duration.ofSeconds(10),
                Clock.systemUTC());
        RestApi rest = new RestApi(new SalesforceHttp(session, HTTP, RetryPolicy.defaults(), Duration.ofSeconds(30),
                "parity"), "61.0");
        Queue viaPubSub = new Queue();
        Queue viaCometd = new Queue();
        try (PubSubClient pubsub = PubSubClient.builder(session, emulator.pubsub().target()).plaintext().build();
                CometdClient cometd = new CometdClient(session, rest, "61.0");
                Subscription a = pubsub.subscribe(CHANNEL, ReplayFrom.earliest(), viaPubSub);
                Subscription b = cometd.subscribe(CHANNEL, ReplayFrom.earliest(), viaCometd)) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("Name", "parity ✓");
            values.put("Text__c", "Zoë");
            values.put("Colors__c", "Red;Blue");
            values.put("Flag__c", true);
            values.put("Quantity__c", 3);
            values.put("Amount__c", 12.5);
            values.put("Due_Date__c", "2031-02-28");
            values.put("Due_At__c", "2031-02-28T13:14:15.678Z");
            values.put("Alarm_Time__c", "07:30:00.000Z");
            values.put("Attachment__c", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
            values.put("Address__City__s", "Lyon");
            values.put("Location__Latitude__s", 45.75);
            values.put("Location__Longitude__s", 4.85);
            String id = rest.create("Sync_Sample__c", JSON.valueToTree(values));
            rest.update("Sync_Sample__c", id, JSON.valueToTree(Map.of("Text__c", "changed", "Address__City__s",
                    "Paris")));
            rest.update("Sync_Sample__c", id, JSON.createObjectNode().putNull("Text__c"));
            rest.delete("Sync_Sample__c", id);

            List<ChangeEvent> p = viaPubSub.of(id, 4);
            List<ChangeEvent> c = viaCometd.of(id, 4);
            assertThat(List.of(a.channel(), b.channel())).containsOnly(CHANNEL);

            for (int i = 0; i < 4; i++) {
                ChangeEventHeader hp = p.get(i).header();
                ChangeEventHeader hc = c.get(i).header();
                assertThat(p.get(i).replayId()).as("replay id of event %d", i).isEqualTo(c.get(i).replayId());
                assertThat(p.get(i).schemaId()).isEqualTo(c.get(i).schemaId());
                assertThat(List.of(hp.entityName(), hp.recordIds(), hp.changeType(), hp.changeOrigin(),
                        hp.transactionKey(), hp.sequenceNumber(), hp.commitTimestamp(), hp.commitNumber(),
                        hp.commitUser())).as("header of event %d", i).isEqualTo(List.of(hc.entityName(),
                        hc.recordIds(), hc.changeType(), hc.changeOrigin(), hc.transactionKey(), hc.sequenceNumber(),
                        hc.commitTimestamp(), hc.commitNumber(), hc.commitUser()));
                assertThat(new HashSet<>(hp.changedFields())).isEqualTo(new HashSet<>(hc.changedFields()));
                assertThat(p.get(i).transport()).isEqualTo("pubsub");
                assertThat(c.get(i).transport()).isEqualTo("cometd");
                // CometD sends a subset of the fields; every one it sends equals Pub/Sub's value.
                for (Map.Entry<String, Object> field : c.get(i).fields().entrySet()) {
                    assertThat(normal(p.get(i).fields().get(field.getKey())))
                            .as("%s of %s event", field.getKey(), hc.changeType())
                            .isEqualTo(normal(field.getValue()));
                }
            }
            assertThat(c.get(0).fields()).containsKeys("Name", "Text__c", "Colors__c", "Due_At__c", "Address__c");
            assertThat(c.get(1).fields()).containsKeys("Text__c", "Address__c");
            assertThat(p.get(2).header().nulledFields()).containsExactly("Text__c");
            assertThat(c.get(2).fields()).containsEntry("Text__c", null);
            assertThat(p.get(3).header().changeType()).isEqualTo("DELETE");
        }
    }

    /** Numbers compared by value, bytes by content, compounds field by field. */
    private static Object normal(Object value) {
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (v != null) {
                    out.put(k, normal(v));
                }
            });
            return out;
        }
        return value;
    }
}
