package dev.lockstep.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.org.WriteContext;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.auth.SalesforceSession;
import dev.lockstep.salesforce.client.pubsub.PubSubClient;
import dev.lockstep.salesforce.client.streaming.ChangeEvent;
import dev.lockstep.salesforce.client.streaming.EventSink;
import dev.lockstep.salesforce.client.streaming.ReplayFrom;
import dev.lockstep.salesforce.client.streaming.Subscription;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How fast Lockstep's own Pub/Sub client turns the emulator's Change Data Capture stream into {@link ChangeEvent}s
 * on this machine: the same 500,000 Account creates as {@link PubSubBenchmark} (the emulator side, decoding to bare
 * Avro records), received through {@code PubSubClient.subscribe} from EARLIEST into a sink of capacity 10,000 that
 * a consumer thread drains, so the number includes flow control, Avro decoding, bitmap decoding and the typed
 * field conversion. Prints the rate; asserts only that every event arrived once, in order. Run with
 * {@code mvn -B verify -Pbenchmark -pl integration-tests -Dit.test=ClientPubSubBenchmark}.
 */
class ClientPubSubBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.pubsub.events", 500_000);
    private static final int PER_TRANSACTION = 50_000;
    private static final int CAPACITY = 10_000;
    private static Emulator emulator;

    @BeforeAll
    static void load() {
        emulator = Emulator.start(EmulatorConfig.defaults().withDailyApiLimit(Long.MAX_VALUE)
                .withPubSubPorts(0, -1));
        for (int done = 0; done < EVENTS; done += PER_TRANSACTION) {
            int from = done;
            int count = Math.min(PER_TRANSACTION, EVENTS - done);
            emulator.org().write(new WriteContext(emulator.adminUserId(), "REST API", "bench", "61.0"), txn -> {
                for (int i = from; i < from + count; i++) {
                    txn.create("Account", Map.of("Name", "Account " + i, "Industry", "Energy", "Phone",
                            "555-" + i, "BillingCity", "Oakland", "NumberOfEmployees", i % 1000));
                }
                return null;
            });
        }
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void clientDecodeRate() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        SalesforceSession session = new SalesforceSession(new Credentials.ClientCredentials(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET), http,
                Duration.ofSeconds(10), Clock.systemUTC());
        BlockingQueue<ChangeEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
        AtomicReference<SalesforceException> failure = new AtomicReference<>();
        EventSink sink = new EventSink() {
            @Override
            public int remainingCapacity() {
                return queue.remainingCapacity();
            }

            @Override
            public void accept(List<ChangeEvent> events) {
                queue.addAll(events);
            }

            @Override
            public void failed(SalesforceException e) {
                failure.set(e);
            }
        };
        try (PubSubClient client = PubSubClient.builder(session, emulator.pubsub().target()).plaintext().build()) {
            long start = System.nanoTime();
            long received = 0;
            long outOfOrder = 0;
            long lastReplayId = Long.MIN_VALUE;
            String lastName = null;
            List<ChangeEvent> batch = new ArrayList<>(CAPACITY);
            try (Subscription subscription = client.subscribe("/data/AccountChangeEvent", ReplayFrom.earliest(),
                    sink)) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (received < EVENTS && failure.get() == null && System.nanoTime() < deadline) {
                    ChangeEvent first = queue.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.clear();
                    batch.add(first);
                    queue.drainTo(batch);
                    subscription.capacityAvailable();
                    for (ChangeEvent e : batch) {
                        long replayId = e.replayId().asLong();
                        if (replayId <= lastReplayId) {
                            outOfOrder++;
                        }
                        lastReplayId = replayId;
                        lastName = (String) e.fields().get("Name");
                    }
                    received += batch.size();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%nCLIENT PUB/SUB BENCHMARK%n  PubSubClient.subscribe: %,d events received and decoded"
                    + " into ChangeEvents in %.2f s: %,.0f events/s; %,d subscribe calls%n", received, seconds,
                    received / seconds, client.metrics().calls("pubsub.subscribe"));
            assertThat(failure.get()).isNull();
            assertThat(received).isEqualTo(EVENTS);
            assertThat(outOfOrder).isZero();
            assertThat(lastName).isEqualTo("Account " + (EVENTS - 1));
        }
    }
}
