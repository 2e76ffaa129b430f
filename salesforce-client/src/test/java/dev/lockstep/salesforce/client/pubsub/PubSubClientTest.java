package dev.lockstep.salesforce.client.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Pub/Sub client against the emulator's gRPC listeners over real sockets. */
class PubSubClientTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults()
            .withPubSubPorts(0, 0));

    private static final String TOPIC = "/data/Sync_Sample__ChangeEvent";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SalesforceSession session;
    private static RestApi rest;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void connect() {
        Emulator emulator = SALESFORCE.emulator();
        session = newSession(emulator);
        rest = new RestApi(new SalesforceHttp(session, HTTP, RetryPolicy.defaults(), Duration.ofSeconds(30),
                "lockstep-test"), "61.0");
    }

    private static SalesforceSession newSession(Emulator emulator) {
        return new SalesforceSession(new Credentials.ClientCredentials(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET), HTTP,
                Duration.ofSeconds(10), Clock.systemUTC());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private PubSubClient plaintext(Emulator emulator, SalesforceSession s) {
        PubSubClient client = PubSubClient.builder(s, emulator.pubsub().target()).plaintext()
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(200))).build();
        toClose.add(client);
        return client;
    }

    private static String create(Map<String, Object> values) {
        ObjectNode node = JSON.valueToTree(values);
        return rest.create("Sync_Sample__c", node);
    }

    private static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /** A sink with a fixed capacity that counts what it holds until the test takes it. */
    static final class QueueSink implements EventSink {
        final BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        final BlockingQueue<ReplayId> keepalives = new LinkedBlockingQueue<>();
        final BlockingQueue<SalesforceException> failures = new LinkedBlockingQueue<>();
        final java.util.concurrent.atomic.AtomicInteger delivered = new java.util.concurrent.atomic.AtomicInteger();
        final int capacity;

        QueueSink(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public int remainingCapacity() {
            return capacity - events.size();
        }

        @Override
        public void accept(List<ChangeEvent> batch) {
            assertThat(batch.size()).isLessThanOrEqualTo(capacity);
            delivered.addAndGet(batch.size());
            events.addAll(batch);
        }

        @Override
        public void keepalive(ReplayId latest) {
            keepalives.add(latest);
        }

        @Override
        public void failed(SalesforceException failure) {
            failures.add(failure);
        }

        ChangeEvent take() throws InterruptedException {
            ChangeEvent e = events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an event within 10 s").isNotNull();
            return e;
        }

        /** The next event about {@code id}, skipping others'. */
        ChangeEvent takeFor(String id) throws InterruptedException {
            while (true) {
                ChangeEvent e = take();
                if (e.header().recordIds().contains(id)) {
                    return e;
                }
            }
        }
    }

    @Test
    void getsTopicsOverPlaintextAndTlsAndCachesSchemas(Emulator emulator, @TempDir Path dir) throws Exception {
        PubSubClient plain = plaintext(emulator, session);
        Topic topic = plain.getTopic(TOPIC);
        assertThat(topic.name()).isEqualTo(TOPIC);
        assertThat(topic.canSubscribe()).isTrue();
        assertThat(topic.canPublish()).isFalse();
        assertThat(topic.tenantGuid()).isEqualTo(session.token().orgId());

        long before = plain.metrics().calls("pubsub.getschema");
        org.apache.avro.Schema schema = plain.getSchema(topic.schemaId());
        assertThat(plain.getSchema(topic.schemaId())).isSameAs(schema);
        assertThat(plain.metrics().calls("pubsub.getschema") - before).isEqualTo(1);
        assertThat(schema.getFields().get(0).name()).isEqualTo("ChangeEventHeader");

        Path pem = dir.resolve("pubsub.pem");
        Files.writeString(pem, emulator.pubsub().certificatePem(), StandardCharsets.US_ASCII);
        PubSubClient tls = PubSubClient.builder(session, emulator.pubsub().tlsTarget()).trustCertificate(pem).build();
        toClose.add(tls);
        assertThat(tls.getTopic(TOPIC).schemaId()).isEqualTo(topic.schemaId());
    }

    @Test
    void unknownTopicIsFatal(Emulator emulator) throws Exception {
        PubSubClient client = plaintext(emulator, session);
        SalesforceException e = org.assertj.core.api.Assertions.catchThrowableOfType(SalesforceException.class,
                () -> client.getTopic("/data/Nope__ChangeEvent"));
        assertThat(e.category()).isEqualTo(ErrorCategory.FATAL);
        assertThat(e.errorCode()).endsWith("topic.not.found");

        QueueSink sink = new QueueSink(10);
        toClose.add(client.subscribe("/data/Nope__ChangeEvent", ReplayFrom.earliest(), sink));
        SalesforceException failure = sink.failures.poll(10, TimeUnit.SECONDS);
        assertThat(failure).isNotNull();
        assertThat(failure.category()).isEqualTo(ErrorCategory.FATAL);
        assertThat(failure.errorCode()).endsWith("topic.not.found");
    }

    @Test
    void decodesEveryChangeTypeWithTypedValuesAndBitmaps(Emulator emulator) throws Exception {
        PubSubClient client = plaintext(emulator, session);
        QueueSink sink = new QueueSink(100);
        Subscription sub = client.subscribe(TOPIC, ReplayFrom.latest(), sink);
        toClose.add(sub);
        // LATEST: wait until the stream is open (its first keepalive or an empty first answer is not promised).
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> emulator.pubsub().openStreams() > 0);

        String id = create(values("Name", "typed", "Text__c", "hello", "Flag__c", true, "Quantity__c", 7,
                "Ratio__c", 1.5, "Due_Date__c", "2024-05-06", "Due_At__c", "2024-05-06T07:08:09.000Z",
                "Alarm_Time__c", "10:11:12.000Z", "Address__City__s", "Paris", "Amount__c", 12.5,
                "Colors__c", "Red;Blue", "Location__Latitude__s", 48.85, "Location__Longitude__s", 2.35));
        ChangeEvent created = sink.takeFor(id);
        assertThat(created.header().changeType()).isEqualTo("CREATE");
        assertThat(created.header().entityName()).isEqualTo("Sync_Sample__c");
        assertThat(created.transport()).isEqualTo("pubsub");
        assertThat(created.header().commitTimestamp()).isAfter(Instant.parse("2020-01-01T00:00:00Z"));
        Map<String, Object> f = created.fields();
        assertThat(f.get("Text__c")).isEqualTo("hello");
        assertThat(f.get("Flag__c")).isEqualTo(true);
        assertThat(f.get("Quantity__c")).isEqualTo(7);
        assertThat(f.get("Ratio__c")).isEqualTo(1.5);
        assertThat(f.get("Due_Date__c")).isEqualTo(LocalDate.of(2024, 5, 6));
        assertThat(f.get("Due_At__c")).isEqualTo(Instant.parse("2024-05-06T07:08:09Z"));
        assertThat(f.get("Alarm_Time__c")).isEqualTo(LocalTime.of(10, 11, 12));
        assertThat(f.get("CreatedDate")).isInstanceOf(Instant.class);
        assertThat(f.get("Address__c")).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) f.get("Address__c")).get("City")).isEqualTo("Paris");
        assertThat(f.get("Amount__c")).isEqualTo(12.5);
        assertThat(f.get("Colors__c")).isEqualTo("Red;Blue");
        assertThat(((Map<?, ?>) f.get("Location__c")).get("Latitude")).isEqualTo(48.85);
        assertThat(f.get("Text_Area__c")).isNull();
        assertThat(created.header().changedFields()).isEmpty();

        ObjectNode update = JSON.createObjectNode();
        update.put("Quantity__c", 8);
        update.putNull("Text__c");
        update.put("Address__City__s", "Lyon");
        rest.update("Sync_Sample__c", id, update);
        ChangeEvent updated = sink.takeFor(id);
        assertThat(updated.header().changeType()).isEqualTo("UPDATE");
        assertThat(updated.header().changedFields()).contains("Quantity__c", "Text__c", "LastModifiedDate",
                "Address__c.City");
        assertThat(updated.header().nulledFields()).containsExactly("Text__c");
        assertThat(updated.fields().get("Quantity__c")).isEqualTo(8);
        assertThat(updated.fields().get("Ratio__c")).isNull();

        rest.delete("Sync_Sample__c", id);
        assertThat(sink.takeFor(id).header().changeType()).isEqualTo("DELETE");

        emulator.cdc().injectGap("Sync_Sample__c", "GAP_UPDATE", List.of(id));
        ChangeEvent gap = sink.takeFor(id);
        assertThat(gap.header().changeType()).isEqualTo("GAP_UPDATE");
        assertThat(gap.header().isGap()).isTrue();
        assertThat(client.eventsReceived()).isGreaterThanOrEqualTo(4);
        assertThat(client.metrics().calls("pubsub.subscribe")).isEqualTo(1);
    }

    @Test
    void sinkWithCapacityThreeGetsThreeUntilItMakesRoom(Emulator emulator) throws Exception {
        for (int i = 0; i < 6; i++) {
            create(Map.of("Name", "flow " + i));
        }
        PubSubClient client = plaintext(emulator, session);
        QueueSink sink = new QueueSink(3);
        Subscription sub = client.subscribe(TOPIC, ReplayFrom.earliest(), sink);
        toClose.add(sub);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sink.delivered.get() == 3);
        // Nothing more arrives while the sink is full, however long we look (bounded: 300 ms).
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> sink.delivered.get() == 3);
        sink.take();
        sub.capacityAvailable();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sink.delivered.get() == 4);
        org.awaitility.Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> sink.delivered.get() == 4);
    }

    @Test
    void customReplayResumesAfterTheGivenEventAndKeepalivesCarryThePosition(Emulator emulator) throws Exception {
        String first = create(Map.of("Name", "custom 1"));
        String second = create(Map.of("Name", "custom 2"));
        PubSubClient client = plaintext(emulator, session);
        QueueSink all = new QueueSink(100);
        toClose.add(client.subscribe(TOPIC, ReplayFrom.earliest(), all));
        ChangeEvent firstEvent = all.takeFor(first);

        emulator.pubsub().setKeepalive(Duration.ofMillis(200));
        try {
            QueueSink after = new QueueSink(100);
            Subscription sub = client.subscribe(TOPIC, ReplayFrom.after(firstEvent.replayId()), after);
            toClose.add(sub);
            assertThat(after.take().header().recordIds()).containsExactly(second);
            ReplayId keepalive = after.keepalives.poll(10, TimeUnit.SECONDS);
            assertThat(keepalive).isNotNull();
            // The keepalive's position is never behind the last delivered event, and becomes the resume point.
            assertThat(keepalive.asLong()).isGreaterThanOrEqualTo(firstEvent.replayId().asLong());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
                ReplayId latest = after.keepalives.poll(1, TimeUnit.SECONDS);
                return latest != null && latest.equals(sub.lastReplayId());
            });
        } finally {
            emulator.pubsub().setKeepalive(Duration.ofSeconds(270));
        }
    }

    @Test
    void droppedStreamReconnectsWithoutLossOrDuplicates(Emulator emulator) throws Exception {
        PubSubClient client = plaintext(emulator, session);
        QueueSink sink = new QueueSink(1000);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(create(Map.of("Name", "drop before " + i)));
        }
        toClose.add(client.subscribe(TOPIC, ReplayFrom.earliest(), sink));
        List<ChangeEvent> seen = new ArrayList<>();
        seen.add(sink.takeFor(ids.get(2)));
        emulator.streams().drop("pubsub");
        for (int i = 0; i < 3; i++) {
            ids.add(create(Map.of("Name", "drop after " + i)));
        }
        seen.add(sink.takeFor(ids.get(5)));
        // Anything else about our records (a duplicate) would arrive before the bounded quiet period ends.
        ChangeEvent extra;
        while ((extra = sink.events.poll(500, TimeUnit.MILLISECONDS)) != null) {
            seen.add(extra);
        }
        List<String> ours = seen.stream().map(e -> e.header().recordIds().get(0)).filter(ids::contains).toList();
        assertThat(ours).containsExactly(ids.get(2), ids.get(5));
        assertThat(client.reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(sink.failures).isEmpty();
    }

    @Test
    void transientSubscribeFailuresAreRetriedAndGiveUpAfterTheRetryPolicy(Emulator emulator) throws Exception {
        PubSubClient client = plaintext(emulator, session);
        String id = create(Map.of("Name", "retried"));
        emulator.faults().failWithStatus("pubsub.subscribe", 2, 503);
        QueueSink sink = new QueueSink(1000);
        toClose.add(client.subscribe(TOPIC, ReplayFrom.earliest(), sink));
        sink.takeFor(id);
        assertThat(client.metrics().calls("pubsub.subscribe")).isEqualTo(3);
        assertThat(sink.failures).isEmpty();

        emulator.faults().failWithStatus("pubsub.subscribe", 4, 503);
        QueueSink doomed = new QueueSink(10);
        toClose.add(client.subscribe(TOPIC, ReplayFrom.earliest(), doomed));
        SalesforceException failure = doomed.failures.poll(10, TimeUnit.SECONDS);
        assertThat(failure).isNotNull();
        assertThat(failure.category()).isEqualTo(ErrorCategory.RETRIABLE);
        assertThat(failure.getMessage()).contains("gave up after 3 reconnects");
        emulator.faults().clear();
    }

    @Test
    void unaryCallsRetryTransientFailuresAndRenewRejectedTokens(Emulator emulator) {
        SalesforceSession own = newSession(emulator);
        PubSubClient client = plaintext(emulator, own);
        emulator.faults().failWithStatus("pubsub.gettopic", 1, 503);
        assertThat(client.getTopic(TOPIC).name()).isEqualTo(TOPIC);
        long logins = own.logins();
        emulator.sessions().expireAll();
        assertThat(client.getTopic(TOPIC).name()).isEqualTo(TOPIC);
        assertThat(own.logins() - logins).isEqualTo(1);
    }

    @Test
    void silentStreamIsTakenForDeadAndReopened(Emulator emulator) throws Exception {
        SalesforceSession own = newSession(emulator);
        PubSubClient client = PubSubClient.builder(own, emulator.pubsub().target()).plaintext()
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(200)))
                .streamTimeout(Duration.ofSeconds(1)).build();
        toClose.add(client);
        emulator.pubsub().setKeepalive(Duration.ofMillis(200));
        try {
            String before = create(Map.of("Name", "stall before"));
            QueueSink sink = new QueueSink(1000);
            toClose.add(client.subscribe(TOPIC, ReplayFrom.earliest(), sink));
            sink.takeFor(before);
            emulator.streams().stall("pubsub", Duration.ofSeconds(30));
            String after = create(Map.of("Name", "stall after"));
            assertThat(sink.takeFor(after).header().changeType()).isEqualTo("CREATE");
            assertThat(client.reconnects()).isGreaterThanOrEqualTo(1);
            assertThat(sink.failures).isEmpty();
        } finally {
            emulator.pubsub().setKeepalive(Duration.ofSeconds(270));
        }
    }

    @Test
    void expiredSessionMidStreamLogsInOnceAndResumes(Emulator emulator) throws Exception {
        SalesforceSession own = newSession(emulator);
        PubSubClient client = plaintext(emulator, own);
        QueueSink sink = new QueueSink(1000);
        String before = create(Map.of("Name", "expire before"));
        toClose.add(client.subscribe(TOPIC, ReplayFrom.earliest(), sink));
        sink.takeFor(before);
        long logins = own.logins();
        emulator.sessions().expireAll();
        String after = create(Map.of("Name", "expire after"));
        ChangeEvent next = sink.takeFor(after);
        assertThat(next.header().recordIds()).containsExactly(after);
        assertThat(own.logins() - logins).isEqualTo(1);
        assertThat(sink.failures).isEmpty();
    }

    @Test
    void corruptReplayIdFailsWithReplayIdInvalid(Emulator emulator) throws Exception {
        PubSubClient client = plaintext(emulator, session);
        QueueSink sink = new QueueSink(10);
        toClose.add(client.subscribe(TOPIC, ReplayFrom.after(ReplayId.of(new byte[] {1, 2, 3})), sink));
        SalesforceException failure = sink.failures.poll(10, TimeUnit.SECONDS);
        assertThat(failure).isInstanceOf(ReplayIdInvalidException.class);
        assertThat(failure.category()).isEqualTo(ErrorCategory.FATAL);
        assertThat(failure.errorCode()).endsWith("replayid.corrupted");

        QueueSink unknown = new QueueSink(10);
        toClose.add(client.subscribe(TOPIC, ReplayFrom.after(ReplayId.ofLong(Long.MAX_VALUE - 5)), unknown));
        assertThat(unknown.failures.poll(10, TimeUnit.SECONDS)).isInstanceOf(ReplayIdInvalidException.class);
    }
}
