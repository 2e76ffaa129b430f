package dev.lockstep.salesforce.client.cometd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.cdc.StoredEvent;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.emulator.org.WriteContext;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.auth.SalesforceSession;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import dev.lockstep.salesforce.client.http.SalesforceHttp;
import dev.lockstep.salesforce.client.rest.RestApi;
import dev.lockstep.salesforce.client.streaming.ChangeEvent;
import dev.lockstep.salesforce.client.streaming.EventSink;
import dev.lockstep.salesforce.client.streaming.ReplayFrom;
import dev.lockstep.salesforce.client.streaming.ReplayId;
import dev.lockstep.salesforce.client.streaming.ReplayIdInvalidException;
import dev.lockstep.salesforce.client.streaming.Subscription;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CometD subscriptions against the emulator's Streaming API over real sockets, one scripted fault per test. */
@SuppressWarnings("try") // try-with-resources closes subscriptions the test body does not otherwise touch
class CometdClientTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension();

    private static final String CHANNEL = "/data/Sync_Sample__ChangeEvent";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private SalesforceSession session;
    private RestApi rest;
    private CometdClient cometd;

    @BeforeAll
    static void fastTimers() {
        // Long polls of 2 s instead of 110 s: a held connect answers soon after a fault.
        SALESFORCE.emulator().cometd().setLongPollTimeout(Duration.ofSeconds(2));
    }

    @BeforeEach
    void connect() {
        Emulator emulator = SALESFORCE.emulator();
        session = new SalesforceSession(new Credentials.ClientCredentials(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET), CLIENT,
                Duration.ofSeconds(10), Clock.systemUTC());
        rest = new RestApi(new SalesforceHttp(session, CLIENT, RetryPolicy.defaults(), Duration.ofSeconds(30),
                "lockstep-test"), "61.0");
        cometd = new CometdClient(session, rest, "61.0", new RetryPolicy(4, Duration.ofMillis(50),
                Duration.ofMillis(500)), Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        cometd.close();
    }

    /** A sink over a queue, with a capacity the test controls. */
    private static final class QueueSink implements EventSink {
        final BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        final BlockingQueue<SalesforceException> failures = new LinkedBlockingQueue<>();
        final AtomicInteger capacity = new AtomicInteger(10_000);
        final AtomicInteger overDelivered = new AtomicInteger();

        @Override
        public int remainingCapacity() {
            return capacity.get();
        }

        @Override
        public void accept(List<ChangeEvent> batch) {
            if (batch.size() > capacity.get()) {
                overDelivered.incrementAndGet();
            }
            capacity.addAndGet(-batch.size());
            events.addAll(batch);
        }

        @Override
        public void failed(SalesforceException failure) {
            failures.add(failure);
        }

        /** The next event about {@code recordId}, skipping other tests' records; fails after the bound. */
        ChangeEvent next(String recordId) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                ChangeEvent e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (e != null && e.header().recordIds().contains(recordId)) {
                    return e;
                }
            }
            throw new AssertionError("No event for " + recordId + " within " + WAIT);
        }

        /** Every event received within {@code quiet} of the previous one that is about one of {@code ids}. */
        List<ChangeEvent> about(Set<String> ids, int expected) throws InterruptedException {
            List<ChangeEvent> out = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                ChangeEvent e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (e != null && !java.util.Collections.disjoint(e.header().recordIds(), ids)) {
                    out.add(e);
                }
            }
            // Anything more would be a duplicate: give it a moment to show up.
            ChangeEvent extra;
            while ((extra = events.poll(500, TimeUnit.MILLISECONDS)) != null) {
                if (!java.util.Collections.disjoint(extra.header().recordIds(), ids)) {
                    out.add(extra);
                }
            }
            return out;
        }
    }

    private static ObjectNode sample(String name) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("Name", name);
        values.put("Text__c", "héllo");
        values.put("Flag__c", true);
        values.put("Quantity__c", 7);
        values.put("Ratio__c", 0.25);
        values.put("Amount__c", 12.5);
        values.put("Due_Date__c", "2024-09-03");
        values.put("Due_At__c", "2024-09-03T06:59:38.000Z");
        values.put("Alarm_Time__c", "06:59:38.000Z");
        values.put("Attachment__c", "aGVsbG8=");
        values.put("Address__Street__s", "1 Main St");
        values.put("Address__City__s", "Oakland");
        values.put("Location__Latitude__s", 37.8);
        values.put("Location__Longitude__s", -122.27);
        return JSON.valueToTree(values);
    }

    private static ReplayFrom fromNow() {
        return ReplayFrom.after(ReplayId.ofLong(SALESFORCE.emulator().cdc().latestReplayId()));
    }

    @Test
    void createUpdateDeleteUndeleteArriveInOrderWithTypedValues(Emulator emulator) throws Exception {
        QueueSink sink = new QueueSink();
        try (Subscription subscription = cometd.subscribe(CHANNEL, fromNow(), sink)) {
            String id = rest.create("Sync_Sample__c", sample("typed"));
            ObjectNode change = JSON.createObjectNode().put("Quantity__c", 8).putNull("Text__c");
            rest.update("Sync_Sample__c", id, change);
            rest.delete("Sync_Sample__c", id);
            emulator.org().write(WriteContext.system(emulator.adminUserId()), txn -> {
                txn.undelete(id);
                return null;
            });

            ChangeEvent create = sink.next(id);
            assertThat(create.transport()).isEqualTo("cometd");
            assertThat(create.channel()).isEqualTo(CHANNEL);
            assertThat(create.header().changeType()).isEqualTo("CREATE");
            assertThat(create.header().entityName()).isEqualTo("Sync_Sample__c");
            assertThat(create.header().nulledFields()).isEmpty();
            assertThat(create.header().diffFields()).isEmpty();
            assertThat(create.header().commitTimestamp()).isAfter(Instant.parse("2020-01-01T00:00:00Z"));
            assertThat(create.schemaId()).isNotBlank();
            Map<String, Object> f = create.fields();
            assertThat(f).containsEntry("Name", "typed").containsEntry("Text__c", "héllo")
                    .containsEntry("Flag__c", true).containsEntry("Quantity__c", 7)
                    .containsEntry("Ratio__c", 0.25).containsEntry("Amount__c", 12.5)
                    .containsEntry("Due_Date__c", LocalDate.of(2024, 9, 3))
                    .containsEntry("Due_At__c", Instant.parse("2024-09-03T06:59:38Z"))
                    .containsEntry("Alarm_Time__c", LocalTime.of(6, 59, 38))
                    .containsEntry("Address__c", Map.of("Street", "1 Main St", "City", "Oakland"))
                    .containsEntry("Location__c", Map.of("Latitude", 37.8, "Longitude", -122.27));
            assertThat((byte[]) f.get("Attachment__c")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
            assertThat(f.get("CreatedDate")).isInstanceOf(Instant.class);
            assertThat(f).doesNotContainKeys("IsDeleted", "SystemModstamp", "Total__c");

            ChangeEvent update = sink.next(id);
            assertThat(update.header().changeType()).isEqualTo("UPDATE");
            assertThat(update.header().changedFields()).contains("Quantity__c", "Text__c", "LastModifiedDate");
            // Only the changed fields: absent means unchanged, null means set to null.
            assertThat(update.fields()).containsEntry("Quantity__c", 8).containsEntry("Text__c", null)
                    .containsKey("LastModifiedDate").doesNotContainKeys("Name", "Ratio__c");
            assertThat(update.fields().get("LastModifiedDate")).isInstanceOf(Instant.class);

            ChangeEvent delete = sink.next(id);
            assertThat(delete.header().changeType()).isEqualTo("DELETE");
            assertThat(delete.fields()).isEmpty();

            ChangeEvent undelete = sink.next(id);
            assertThat(undelete.header().changeType()).isEqualTo("UNDELETE");
            assertThat(undelete.fields()).containsEntry("Quantity__c", 8).containsEntry("Name", "typed");

            assertThat(List.of(create, update, delete, undelete)).extracting(e -> e.replayId().asLong())
                    .isSorted().doesNotHaveDuplicates();
            assertThat(subscription.lastReplayId()).isNotNull();
            assertThat(cometd.metrics().eventsReceived()).isGreaterThanOrEqualTo(4);
            assertThat(sink.failures).isEmpty();
        }
    }

    @Test
    void replayFromLatestSkipsEventsCommittedBeforeTheSubscription(Emulator emulator) throws Exception {
        String before = rest.create("Sync_Sample__c", sample("before-latest"));
        QueueSink sink = new QueueSink();
        try (Subscription ignored = cometd.subscribe(CHANNEL, ReplayFrom.latest(), sink)) {
            // Subscribed once the server holds our long poll (the subscribe goes out before it).
            await().atMost(WAIT).until(() -> emulator.cometd().clientIds().stream()
                    .anyMatch(c -> emulator.cometd().heldConnects(c) > 0));
            String after = rest.create("Sync_Sample__c", sample("after-latest"));

            List<ChangeEvent> events = sink.about(Set.of(before, after), 1);
            assertThat(events).extracting(e -> e.header().recordIds().get(0)).containsExactly(after);
        }
    }

    @Test
    void replayFromEarliestDeliversRetainedEvents() throws Exception {
        String id = rest.create("Sync_Sample__c", sample("earliest"));
        QueueSink sink = new QueueSink();
        try (Subscription ignored = cometd.subscribe(CHANNEL, ReplayFrom.earliest(), sink)) {
            assertThat(sink.next(id).header().changeType()).isEqualTo("CREATE");
        }
    }

    @Test
    void replayAfterAStoredIdStartsJustAfterIt(Emulator emulator) throws Exception {
        String id = rest.create("Sync_Sample__c", sample("custom"));
        rest.update("Sync_Sample__c", id, JSON.valueToTree(Map.of("Quantity__c", 9)));
        List<StoredEvent> stored = emulator.cdc().eventsOf(id);
        long createReplayId = stored.get(0).replayId();

        QueueSink sink = new QueueSink();
        try (Subscription ignored = cometd.subscribe(CHANNEL, ReplayFrom.after(ReplayId.ofLong(createReplayId)),
                sink)) {
            ChangeEvent first = sink.next(id);
            assertThat(first.header().changeType()).isEqualTo("UPDATE");
            assertThat(first.replayId()).isEqualTo(ReplayId.ofLong(stored.get(1).replayId()));
        }
    }

    @Test
    void anInvalidReplayIdEndsTheSubscriptionWithReplayIdInvalidException(Emulator emulator) throws Exception {
        QueueSink sink = new QueueSink();
        long unknown = emulator.cdc().latestReplayId() + 1_000_000;
        try (Subscription ignored = cometd.subscribe(CHANNEL, ReplayFrom.after(ReplayId.ofLong(unknown)), sink)) {
            SalesforceException failure = sink.failures.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(ReplayIdInvalidException.class);
            assertThat(failure.category()).isEqualTo(ErrorCategory.FATAL);
            assertThat(failure.getMessage()).contains("you provided was invalid");
        }
    }

    @Test
    void anUnknownChannelIsFatal() throws Exception {
        QueueSink sink = new QueueSink();
        try (Subscription ignored = cometd.subscribe("/data/Nope__ChangeEvent", ReplayFrom.latest(), sink)) {
            SalesforceException failure = sink.failures.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(failure).isNotNull().isNotInstanceOf(ReplayIdInvalidException.class);
            assertThat(failure.category()).isEqualTo(ErrorCategory.FATAL);
            assertThat(failure.getMessage()).contains("doesn't exist");
        }
    }

    @Test
    void anExpiredSessionLogsInOnceAndResubscribesWithoutLosingEvents(Emulator emulator) throws Exception {
        QueueSink sink = new QueueSink();
        try (Subscription ignored = cometd.subscribe(CHANNEL, fromNow(), sink)) {
            String first = rest.create("Sync_Sample__c", sample("before-expiry"));
            sink.next(first);
            long logins = session.logins();
            long handshakes = cometd.metrics().handshakes();

            emulator.sessions().expireAll();
            // Written while no session is valid (through the org, not REST): must arrive after the re-handshake.
            String during = emulator.org().write(WriteContext.system(emulator.adminUserId()),
                    txn -> txn.create("Sync_Sample__c", Map.of("Name", "during-expiry")));

            assertThat(sink.next(during).header().changeType()).isEqualTo("CREATE");
            assertThat(session.logins()).isEqualTo(logins + 1);
            assertThat(cometd.metrics().handshakes()).isGreaterThan(handshakes);
            assertThat(cometd.metrics().relogins()).isEqualTo(1);
            assertThat(sink.failures).isEmpty();
        }
    }

    @Test
    void aDroppedStreamRecoversWithoutLossOrDuplicates(Emulator emulator) throws Exception {
        QueueSink sink = new QueueSink();
        try (Subscription ignored = cometd.subscribe(CHANNEL, fromNow(), sink)) {
            sink.next(rest.create("Sync_Sample__c", sample("drop-0")));
            long reconnects = cometd.metrics().reconnects();

            assertThat(emulator.streams().drop("cometd")).isPositive();
            Set<String> ids = new HashSet<>();
            for (int i = 1; i <= 5; i++) {
                ids.add(rest.create("Sync_Sample__c", sample("drop-" + i)));
            }
            List<ChangeEvent> events = sink.about(ids, ids.size());

            assertThat(events).extracting(e -> e.header().recordIds().get(0))
                    .containsExactlyInAnyOrderElementsOf(ids);
            assertThat(events).extracting(e -> e.replayId().asLong()).isSorted().doesNotHaveDuplicates();
            assertThat(cometd.metrics().reconnects()).isGreaterThan(reconnects);
            assertThat(sink.failures).isEmpty();
        }
    }

    @Test
    void transientFailuresAreRetriedWithBackoff(Emulator emulator) throws Exception {
        QueueSink sink = new QueueSink();
        emulator.faults().failWithStatus("cometd", 2, 503);
        try (Subscription ignored = cometd.subscribe(CHANNEL, fromNow(), sink)) {
            String id = rest.create("Sync_Sample__c", sample("after-503"));
            assertThat(sink.next(id).header().changeType()).isEqualTo("CREATE");
            assertThat(cometd.metrics().reconnects()).isPositive();
            assertThat(sink.failures).isEmpty();
        } finally {
            emulator.faults().clear();
        }
    }

    @Test
    void persistentFailuresEndTheSubscriptionAsRetriableOnceTheRetriesRunOut(Emulator emulator) throws Exception {
        QueueSink sink = new QueueSink();
        emulator.faults().failWithStatus("cometd", 1_000, 503);
        try (Subscription ignored = cometd.subscribe(CHANNEL, ReplayFrom.latest(), sink)) {
            SalesforceException failure = sink.failures.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(failure).isNotNull();
            assertThat(failure.category()).isEqualTo(ErrorCategory.RETRIABLE);
            assertThat(failure.getMessage()).contains("gave up after 4 reconnects");
            assertThat(cometd.metrics().handshakes()).isEqualTo(5);
        } finally {
            emulator.faults().clear();
        }
    }

    @Test
    void aConsumerFullPastTheReconnectWindowResumesWithoutLossOrDuplicates(Emulator emulator) throws Exception {
        QueueSink sink = new QueueSink();
        sink.capacity.set(0);
        Duration window = emulator.cometd().reconnectWindow();
        emulator.cometd().setReconnectWindow(Duration.ofMillis(500));
        try (Subscription subscription = cometd.subscribe(CHANNEL, fromNow(), sink)) {
            Set<String> ids = new HashSet<>();
            ids.add(rest.create("Sync_Sample__c", sample("window-0")));
            await().atMost(WAIT).until(() -> cometd.metrics().connectsHeld() > 0);
            long heldAt = System.nanoTime();
            // The fault is time itself: the long poll stays held past the window, so the server forgets the client
            // (it tells it on its next request). These events come after the position the client resumes from.
            await().atMost(WAIT).until(() -> System.nanoTime() - heldAt > 3 * 500_000_000L);
            for (int i = 1; i <= 3; i++) {
                ids.add(rest.create("Sync_Sample__c", sample("window-" + i)));
            }
            long handshakes = cometd.metrics().handshakes();

            sink.capacity.set(100);
            subscription.capacityAvailable();
            List<ChangeEvent> events = sink.about(ids, ids.size());

            assertThat(events).extracting(e -> e.header().recordIds().get(0))
                    .containsExactlyInAnyOrderElementsOf(ids);
            assertThat(events).extracting(e -> e.replayId().asLong()).isSorted().doesNotHaveDuplicates();
            assertThat(cometd.metrics().handshakes()).isGreaterThan(handshakes);
        } finally {
            emulator.cometd().setReconnectWindow(window);
        }
    }

    @Test
    void aFullSinkHoldsTheLongPollUntilCapacityIsAvailable() throws Exception {
        QueueSink sink = new QueueSink();
        sink.capacity.set(0);
        try (Subscription subscription = cometd.subscribe(CHANNEL, fromNow(), sink)) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                ids.add(rest.create("Sync_Sample__c", sample("held-" + i)));
            }
            await().atMost(WAIT).until(() -> cometd.metrics().connectsHeld() > 0);
            assertThat(sink.events).isEmpty();

            sink.capacity.set(2);
            subscription.capacityAvailable();
            List<ChangeEvent> firstTwo = sink.about(ids, 2);
            assertThat(firstTwo).hasSize(2);

            sink.capacity.set(100);
            subscription.capacityAvailable();
            assertThat(sink.about(ids, 1)).hasSize(1);
            assertThat(sink.overDelivered).hasValue(0);
        }
    }

    @Test
    void aBurstOfEventsArrivesInOrderThroughASmallConsumer(Emulator emulator) throws Exception {
        int count = 2_000;
        QueueSink sink = new QueueSink();
        sink.capacity.set(100); // a consumer with room for 100 events, freed one by one as it takes them
        try (Subscription subscription = cometd.subscribe(CHANNEL, fromNow(), sink)) {
            long start = System.nanoTime();
            List<String> ids = emulator.org().write(WriteContext.system(emulator.adminUserId()), txn -> {
                List<String> created = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    created.add(txn.create("Sync_Sample__c", Map.of("Name", "burst-" + i, "Quantity__c", i)));
                }
                return created;
            });
            List<ChangeEvent> received = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (received.size() < count && System.nanoTime() < deadline) {
                ChangeEvent e = sink.events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (e != null) {
                    received.add(e);
                    sink.capacity.incrementAndGet(); // the consumer took it: room for one more
                    subscription.capacityAvailable();
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("CometD burst: %d events in %d ms through a consumer of 100%n", received.size(), millis);

            assertThat(received).extracting(e -> e.header().recordIds().get(0)).containsExactlyElementsOf(ids);
            assertThat(received).extracting(e -> e.fields().get("Quantity__c")).first().isEqualTo(0);
            assertThat(sink.overDelivered).hasValue(0);
        }
    }

    /**
     * What Pub/Sub would deliver for the same change: the emulator's bus holds the event as Pub/Sub encodes it
     * (Avro values: dates as epoch values, bytes, nested maps). Every non-null value must equal the CometD one once
     * typed, and CometD must carry no field the bus lacks.
     */
    @Test
    void fieldsEqualTheBusContentPubSubDelivers(Emulator emulator) throws Exception {
        QueueSink sink = new QueueSink();
        try (Subscription ignored = cometd.subscribe(CHANNEL, fromNow(), sink)) {
            String id = rest.create("Sync_Sample__c", sample("equal"));
            ChangeEvent cometdEvent = sink.next(id);
            Map<String, Object> bus = emulator.cdc().eventsOf(id).get(0).event().fields();

            Map<String, Object> expected = new LinkedHashMap<>();
            bus.forEach((name, value) -> {
                if (value != null) {
                    expected.put(name, typed(value, cometdEvent.fields().get(name)));
                }
            });
            Map<String, Object> actual = new LinkedHashMap<>(cometdEvent.fields());
            actual.replaceAll((k, v) -> v instanceof byte[] b ? ByteBuffer.wrap(b) : v);
            assertThat(actual).isEqualTo(expected);
        }
    }

    /** A bus (Avro-form) value in the Java type the client's contract names, guided by the CometD value's type. */
    private static Object typed(Object avro, Object cometd) {
        if (avro instanceof Long millis && cometd instanceof Instant) {
            return Instant.ofEpochMilli(millis);
        }
        if (avro instanceof Long millis && cometd instanceof LocalDate) {
            return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate();
        }
        if (avro instanceof Long millis && cometd instanceof LocalTime) {
            return LocalTime.ofNanoOfDay(millis * 1_000_000L);
        }
        if (avro instanceof java.math.BigDecimal decimal && cometd instanceof Double) {
            return decimal.doubleValue(); // the org keeps decimals; the Avro schema (and Pub/Sub) says double
        }
        if (avro instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        if (avro instanceof ByteBuffer buffer) {
            return buffer.duplicate();
        }
        if (avro instanceof Map<?, ?> map && cometd instanceof Map<?, ?> typedMap) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (v != null) {
                    out.put(k.toString(), typed(v, typedMap.get(k)));
                }
            });
            return out;
        }
        return avro;
    }
}
