package dev.lockstep.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.demo.DemoData;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.emulator.org.WriteContext;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.SalesforceOrg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How quickly the source connector streams changes, and what they cost in API calls. 1,000 {@code Sync_Sample__c}
 * records (30 fields synced, as in {@link SourceSnapshotBenchmark}) are generated in the emulated org and
 * snapshotted; once the connector streams (Pub/Sub), the benchmark commits single-record updates at a steady
 * {@value #DEFAULT_RATE} changes/s through the emulator's own write path (each commit is one change event) and
 * measures, for every change, the time from its commit in Salesforce ({@code source.ts_ms}) to the broker's append
 * of its record (the topic uses {@code LogAppendTime}): p50, p95, p99 and max are printed. The emulator counts every
 * API request the connector makes while the changes flow, printed per 1,000 changes, for {@code update.mode=partial}
 * (the events as they are: no calls expected) and {@code update.mode=full} (batched re-reads).
 *
 * <p>Prints numbers (target: p99 under 100 ms); asserts that every change reached the topic and that the topic
 * folds into the org's values. Run with {@code mvn -B verify -Pbenchmark -pl integration-tests -am
 * -Dit.test=SourceStreamingBenchmark}; {@code -Dbench.stream.rate}, {@code -Dbench.stream.seconds} (partial mode,
 * 30) and {@code -Dbench.stream.full.seconds} (full mode, 15) change the load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceStreamingBenchmark {

    private static final int DEFAULT_RATE = 1000;
    private static final int RATE = Integer.getInteger("bench.stream.rate", DEFAULT_RATE);
    private static final int PARTIAL_SECONDS = Integer.getInteger("bench.stream.seconds", 30);
    private static final int FULL_SECONDS = Integer.getInteger("bench.stream.full.seconds", 15);
    private static final int RECORDS = 1000;
    private static final String OBJECT = "Sync_Sample__c";
    private static final List<String> EXCLUDED = List.of("CreatedById", "LastModifiedById", "IsDeleted", "Account__c",
            "Secret__c", "Code__c", "Legacy_Id__c", "Address__StateCode__s");
    private static final String MARK = "bench-";
    private static final Duration BOUND = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TUNED = Map.of(
            "value.converter", "org.apache.kafka.connect.json.JsonConverter",
            "value.converter.schemas.enable", "false", "value.converter.decimal.format", "NUMERIC",
            "producer.override.batch.size", "1048576", "producer.override.compression.type", "lz4");

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0)
            .withDailyApiLimit(Long.MAX_VALUE));

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static SalesforceOrg org;
    private static BenchTopics topics;
    private static List<String> ids;
    private static WriteContext writer;
    private static int written;
    private static final List<String> RESULTS = new ArrayList<>();

    @BeforeAll
    static void seed() {
        org = new SalesforceOrg(SALESFORCE.emulator());
        topics = new BenchTopics(CONNECT);
        DemoData.generate(SALESFORCE.emulator().org(), Map.of(OBJECT, RECORDS), 7L);
        ids = new ArrayList<>(org.records(OBJECT).keySet());
        writer = new WriteContext(SALESFORCE.emulator().adminUserId(), "REST API", "bench", "61.0");
        System.out.printf("%nSOURCE STREAMING BENCHMARK%n  %,d %s records in the org; %d cores%n", RECORDS, OBJECT,
                Runtime.getRuntime().availableProcessors());
    }

    @AfterAll
    static void close() {
        System.out.printf("%nSOURCE STREAMING BENCHMARK SUMMARY (%s, 30 fields, %,d changes/s)%n", OBJECT, RATE);
        RESULTS.forEach(System.out::println);
        if (topics != null) {
            topics.close();
        }
        if (org != null) {
            org.close();
        }
    }

    /** The worker's converter (JSON with schemas) and Connect's producer defaults. */
    @Test
    @Order(1)
    void partialModeDefaults() throws Exception {
        Run run = stream("partial", "partial-defaults", Map.of("update.mode", "partial"), PARTIAL_SECONDS);
        assertThat(run.events()).as("one record per change").isEqualTo(run.changes());
        assertThat(run.callsDuring()).as("API calls while streaming in partial mode").isEmpty();
    }

    /** JSON without embedded schemas, larger producer batches, lz4. */
    @Test
    @Order(2)
    void partialModeTuned() throws Exception {
        Map<String, String> settings = new HashMap<>(TUNED);
        settings.put("update.mode", "partial");
        Run run = stream("partial", "partial-tuned", settings, PARTIAL_SECONDS);
        assertThat(run.events()).as("one record per change").isEqualTo(run.changes());
        assertThat(run.callsDuring()).as("API calls while streaming in partial mode").isEmpty();
    }

    /** Re-reads: one SOQL query per batch of changed records. */
    @Test
    @Order(3)
    void fullModeTuned() throws Exception {
        Map<String, String> settings = new HashMap<>(TUNED);
        settings.put("update.mode", "full");
        Run run = stream("full", "full-tuned", settings, FULL_SECONDS);
        assertThat(run.callsDuring()).containsKey("rest.query");
    }

    // ------------------------------------------------------------------------------------------------ running

    private record Run(int changes, int events, Map<String, Long> callsDuring) {}

    private static Run stream(String mode, String name, Map<String, String> overrides, int seconds)
            throws Exception {
        String wanted = System.getProperty("bench.stream.variants", "");
        Assumptions.assumeTrue(wanted.isBlank() || List.of(wanted.split(",")).contains(name),
                () -> name + " is not in bench.stream.variants=" + wanted);
        String connector = "stream-" + name;
        String topic = connector + "." + OBJECT;
        TopicPartition tp = new TopicPartition(topic, 0);
        Map<String, String> settings = new HashMap<>();
        settings.put("field.exclude.list", String.join(",", EXCLUDED.stream().map(f -> OBJECT + "." + f).toList()));
        settings.put("topic.creation.default.message.timestamp.type", "LogAppendTime");
        settings.putAll(overrides);
        CONNECT.deploy(org.sourceConnector(connector, connector, OBJECT, 1, settings));
        Eventually.until("the connector to create " + topic, BOUND, () -> topics.exists(topic));
        Eventually.until("the snapshot of " + topic, BOUND, () -> topics.endOffset(tp), end -> end >= RECORDS);

        try (KafkaConsumer<byte[], byte[]> consumer = topics.consumer()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            Collected seen = new Collected(MARK + name + "-");
            awaitStreaming(consumer, seen);

            Map<String, Long> before = SALESFORCE.emulator().counters().snapshot();
            CpuUse cpu = CpuUse.start();
            int changes = RATE * seconds;
            int first = written;
            Map<String, String> lastText = new HashMap<>();
            long start = System.nanoTime();
            long behind = 0;
            for (int i = 0; i < changes; i++) {
                long due = start + i * 1_000_000_000L / RATE;
                long now = System.nanoTime();
                if (now < due) {
                    LockSupport.parkNanos(due - now);
                } else {
                    behind = Math.max(behind, now - due);
                }
                String id = ids.get((first + i) % RECORDS);
                String text = MARK + name + "-" + (first + i);
                int quantity = 1 + (first + i) % 500;
                SALESFORCE.emulator().org().write(writer, txn -> {
                    txn.update(id, Map.of("Text__c", text, "Quantity__c", quantity));
                    return null;
                });
                lastText.put(id, text);
            }
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            written += changes;

            Eventually.until(name + ": the records of " + changes + " changes on " + topic, BOUND, () -> {
                seen.add(consumer.poll(Duration.ofMillis(200)));
                return seen.distinct.size() >= lastText.size()
                        && seen.lastText.entrySet().containsAll(lastText.entrySet());
            });
            // In partial mode every change is one record: wait for the count too (full mode dedupes re-reads).
            if (mode.equals("partial")) {
                Eventually.until(name + ": " + changes + " change records", BOUND, () -> {
                    seen.add(consumer.poll(Duration.ofMillis(200)));
                    return seen.latencies.size() >= changes;
                });
            }
            String cpuUse = cpu.stop();
            Map<String, Long> calls = BenchStats.delta(before, SALESFORCE.emulator().counters().snapshot());
            CONNECT.cluster().deleteConnector(connector);

            long[] latency = seen.latencies.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(latency);
            long total = calls.values().stream().mapToLong(Long::longValue).sum();
            String line = String.format("  [%s] %,d changes committed in %.1f s (%,.0f/s, writer at most"
                    + " %.0f ms behind schedule); %,d records; latency commit -> Kafka append: p50 %d ms, p95 %d ms,"
                    + " p99 %d ms, max %d ms [target p99 < 100 ms]%n    API calls while streaming: %,d (%.1f per 1,000"
                    + " changes) %s%n    %s", name, changes, writeSeconds, changes / writeSeconds, behind / 1e6,
                    latency.length, BenchStats.percentile(latency, 50), BenchStats.percentile(latency, 95),
                    BenchStats.percentile(latency, 99),
                    latency.length == 0 ? 0 : latency[latency.length - 1], total, total * 1000.0 / changes, calls,
                    cpuUse);
            System.out.println(line);
            RESULTS.add(line);

            // The topic holds each record's last committed values (in full mode, re-read values: at least as new).
            Map<String, Map<String, Object>> now = org.records(OBJECT);
            List<String> differences = new ArrayList<>();
            lastText.keySet().forEach(id -> {
                for (String field : List.of("Text__c", "Quantity__c")) {
                    String want = BenchTopics.text(now.get(id).get(field));
                    String got = seen.state.getOrDefault(id, Map.of()).get(field);
                    if (!java.util.Objects.equals(want, got)) {
                        differences.add(id + "." + field + ": Salesforce " + want + ", topic " + got);
                    }
                }
            });
            assertThat(differences).isEmpty();
            assertThat(seen.notUpdates).as("records other than u").isZero();
            return new Run(changes, seen.latencies.size(), calls);
        }
    }

    /**
     * Waits until the connector delivers live change events (its subscription from LATEST is accepted), writing a
     * probe change a second until one arrives as a stream event rather than through the post-snapshot re-read.
     */
    private static void awaitStreaming(KafkaConsumer<byte[], byte[]> consumer, Collected seen) {
        long[] lastProbe = {0};
        Eventually.until("the connector to stream changes", BOUND, () -> {
            if (System.nanoTime() - lastProbe[0] > 1_000_000_000L) {
                lastProbe[0] = System.nanoTime();
                SALESFORCE.emulator().org().write(writer, txn -> {
                    txn.update(ids.get(0), Map.of("Text_Area__c", "probe " + lastProbe[0]));
                    return null;
                });
            }
            var records = consumer.poll(Duration.ofMillis(100));
            seen.add(records);
            for (ConsumerRecord<byte[], byte[]> r : records) {
                JsonNode payload = payload(r);
                if (payload != null && "UPDATE".equals(payload.at("/source/change_type").asText())) {
                    return true;
                }
            }
            return false;
        });
    }

    /** What the benchmark reads back: per-change latencies, and each record's last Text__c and Quantity__c. */
    private static final class Collected {
        final String mark;
        final List<Long> latencies = new ArrayList<>();
        final Map<String, Map<String, String>> state = new HashMap<>();
        final Map<String, String> lastText = new HashMap<>();
        final java.util.Set<String> distinct = new java.util.HashSet<>();
        long notUpdates;

        Collected(String mark) {
            this.mark = mark;
        }

        void add(Iterable<ConsumerRecord<byte[], byte[]>> records) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                JsonNode payload = payload(r);
                if (payload == null) {
                    continue;
                }
                JsonNode after = payload.get("after");
                String text = after.path("Text__c").asText("");
                String id = after.path("Id").asText();
                boolean complete = payload.at("/source/complete").asBoolean();
                List<String> changed = new ArrayList<>();
                payload.at("/source/changed_fields").forEach(n -> changed.add(n.asText()));
                Map<String, String> row = state.computeIfAbsent(id, k -> new HashMap<>());
                for (String field : List.of("Text__c", "Quantity__c")) {
                    if (complete || changed.contains(field)) {
                        row.put(field, BenchTopics.text(after.get(field)));
                    }
                }
                if (!text.startsWith(mark)) {
                    continue; // the snapshot, the re-read after it, probes, an earlier run's changes
                }
                if (!"u".equals(payload.get("op").asText())) {
                    notUpdates++;
                }
                latencies.add(r.timestamp() - payload.at("/source/ts_ms").asLong());
                distinct.add(id);
                lastText.put(id, text);
            }
        }
    }

    private static JsonNode payload(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            JsonNode value = JSON.readTree(r.value());
            return value.has("payload") ? value.get("payload") : value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
