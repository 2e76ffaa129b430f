package dev.lockstep.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.demo.DemoData;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.SalesforceOrg;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How fast the source connector snapshots one object into Kafka: {@value #DEFAULT_RECORDS} {@code Sync_Sample__c}
 * records (every Salesforce field type, a multi-paragraph long text area among them) generated straight into the
 * emulated org, then the connector loaded from the plugin archive into a real Connect worker takes its Bulk API 2.0
 * snapshot into a one-partition topic. The clock runs from the connector's deployment to the broker's append of the
 * last record (the topic uses {@code LogAppendTime}); records/s and MB/s of serialized key and value are printed for
 * the default settings and for a few variants of queue, batch, producer and converter settings.
 *
 * <p>30 fields are synced: {@code Sync_Sample__c} maps 38 (its blob is never synced and its address and location
 * compounds become their components); the benchmark excludes the two audit user references, {@code IsDeleted}, the
 * empty {@code Account__c}, and {@code Secret__c}, {@code Code__c}, {@code Legacy_Id__c} and
 * {@code Address__StateCode__s}.
 *
 * <p>Prints numbers (target: more than 50,000 records/s on two cores); asserts only that each run put every record
 * on its topic once, as a snapshot read. Run with {@code mvn -B verify -Pbenchmark -pl integration-tests -am
 * -Dit.test=SourceSnapshotBenchmark}; {@code -Dbench.source.records=N} changes the record count and
 * {@code -Dbench.source.variants=defaults,json-no-schemas} picks variants by name.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceSnapshotBenchmark {

    private static final int DEFAULT_RECORDS = 300_000;
    private static final int RECORDS = Integer.getInteger("bench.source.records", DEFAULT_RECORDS);
    private static final String OBJECT = "Sync_Sample__c";
    private static final List<String> EXCLUDED = List.of("CreatedById", "LastModifiedById", "IsDeleted", "Account__c",
            "Secret__c", "Code__c", "Legacy_Id__c", "Address__StateCode__s");
    private static final Duration BOUND = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0)
            .withDailyApiLimit(Long.MAX_VALUE));

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static SalesforceOrg org;
    private static BenchTopics topics;
    private static final List<String> RESULTS = new ArrayList<>();

    @BeforeAll
    static void seed() {
        org = new SalesforceOrg(SALESFORCE.emulator());
        topics = new BenchTopics(CONNECT);
        // No change events for the seed: a snapshot benchmark needs none, and 300,000 of them only cost memory.
        SALESFORCE.emulator().cdc().select(Set.of("User"));
        long start = System.nanoTime();
        DemoData.generate(SALESFORCE.emulator().org(), Map.of(OBJECT, RECORDS), 7L);
        SALESFORCE.emulator().cdc().select(Set.of());
        System.out.printf("%nSOURCE SNAPSHOT BENCHMARK%n  %,d %s records generated in the org in %.1f s; %d cores,"
                + " max heap %,d MB%n", RECORDS, OBJECT, (System.nanoTime() - start) / 1e9,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    }

    @AfterAll
    static void close() {
        System.out.printf("%nSOURCE SNAPSHOT BENCHMARK SUMMARY (%,d %s records, 30 fields)%n", RECORDS, OBJECT);
        RESULTS.forEach(System.out::println);
        if (topics != null) {
            topics.close();
        }
        if (org != null) {
            org.close();
        }
    }

    /** One unmeasured snapshot first, so the JIT has compiled the whole path before any run is timed. */
    @Test
    @Order(0)
    void warmUp() throws Exception {
        if (!Boolean.parseBoolean(System.getProperty("bench.source.warmup", "true"))) {
            return;
        }
        long start = System.nanoTime();
        String topic = "warmup." + OBJECT;
        CONNECT.deploy(org.sourceConnector("snap-warmup", "warmup", OBJECT, 1, Map.of(
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "false", "producer.override.linger.ms", "50",
                "producer.override.batch.size", "1048576", "producer.override.compression.type", "lz4")));
        Eventually.until("the connector to create " + topic, BOUND,
                () -> topics.exists(topic));
        TopicPartition tp = new TopicPartition(topic, 0);
        Eventually.until("the warm-up snapshot", BOUND, () -> topics.endOffset(tp), offset -> offset >= RECORDS);
        CONNECT.cluster().deleteConnector("snap-warmup");
        topics.delete(topic);
        System.out.printf("  warm-up snapshot (not measured): %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    @Test
    @Order(1)
    void defaults() throws Exception {
        snapshot("defaults", "defaults", Map.of(), true);
    }

    @Test
    @Order(2)
    void largerBatchAndQueue() throws Exception {
        snapshot("max.batch.size=8192, max.queue.size=32768", "larger-queue",
                Map.of("max.batch.size", "8192", "max.queue.size", "32768"));
    }

    @Test
    @Order(3)
    void producerLingerAndBatch() throws Exception {
        snapshot("producer linger.ms=50, batch.size=1 MiB", "producer-batching",
                Map.of("producer.override.linger.ms", "50", "producer.override.batch.size", "1048576"));
    }

    @Test
    @Order(4)
    void producerLz4() throws Exception {
        snapshot("producer linger.ms=50, batch.size=1 MiB, compression lz4", "producer-lz4",
                Map.of("producer.override.linger.ms", "50", "producer.override.batch.size", "1048576",
                        "producer.override.compression.type", "lz4"));
    }

    @Test
    @Order(5)
    void jsonWithoutSchemas() throws Exception {
        snapshot("JSON values without embedded schemas", "json-no-schemas",
                Map.of("value.converter", "org.apache.kafka.connect.json.JsonConverter",
                        "value.converter.schemas.enable", "false",
                        "value.converter.decimal.format", "NUMERIC"));
    }

    @Test
    @Order(6)
    void jsonWithoutSchemasProducerLz4() throws Exception {
        snapshot("JSON values without embedded schemas, producer linger.ms=50, batch.size=1 MiB, lz4",
                "json-no-schemas-lz4", Map.of("value.converter", "org.apache.kafka.connect.json.JsonConverter",
                        "value.converter.schemas.enable", "false", "value.converter.decimal.format", "NUMERIC",
                        "producer.override.linger.ms", "50", "producer.override.batch.size", "1048576",
                        "producer.override.compression.type", "lz4"));
    }

    // ------------------------------------------------------------------------------------------------ running

    private record Run(String label, String topic, long records, double seconds, double steadySeconds,
            double startupSeconds, double serializedBytes, long storedBytes) {}

    private static void snapshot(String label, String name, Map<String, String> overrides) throws Exception {
        snapshot(label, name, overrides, false);
    }

    /** Runs one snapshot with these settings, prints its numbers, checks it (fully when {@code verify}). */
    private static void snapshot(String label, String name, Map<String, String> overrides, boolean verify)
            throws Exception {
        String wanted = System.getProperty("bench.source.variants", "");
        if (!wanted.isBlank() && !List.of(wanted.split(",")).contains(name)) {
            System.out.printf("  [%s] skipped (bench.source.variants=%s)%n", label, wanted);
            return;
        }
        String connector = "snap-" + name;
        String prefix = "snap-" + name;
        String topic = prefix + "." + OBJECT;
        Map<String, String> settings = new HashMap<>();
        settings.put("field.exclude.list", String.join(",", EXCLUDED.stream().map(f -> OBJECT + "." + f).toList()));
        settings.put("topic.creation.default.message.timestamp.type", "LogAppendTime");
        settings.putAll(overrides);

        CpuUse cpu = CpuUse.start();
        long deployed = System.currentTimeMillis();
        CONNECT.deploy(org.sourceConnector(connector, prefix, OBJECT, 1, settings));
        TopicPartition tp = new TopicPartition(topic, 0);
        Eventually.until("the connector to create " + topic, BOUND,
                () -> topics.exists(topic));
        Eventually.until(label + ": " + RECORDS + " records on " + topic, BOUND, () -> topics.endOffset(tp),
                offset -> offset >= RECORDS);
        String cpuUse = cpu.stop();
        CONNECT.cluster().deleteConnector(connector);

        // The snapshot is the topic's first RECORDS records; the re-sync of its window (records the seed modified
        // within resync.margin.ms of its start) may follow them and is not counted.
        long end = RECORDS;
        ConsumerRecord<byte[], byte[]> first = topics.recordAt(tp, 0);
        ConsumerRecord<byte[], byte[]> last = topics.recordAt(tp, end - 1);
        double seconds = (last.timestamp() - deployed) / 1e3;
        double steady = (last.timestamp() - first.timestamp()) / 1e3;
        double startup = (first.timestamp() - deployed) / 1e3;
        double bytesPerRecord = topics.averageSerializedBytes(tp, end);
        long stored = topics.storedBytes(tp);
        Run run = new Run(label, topic, end, seconds, steady, startup, bytesPerRecord, stored);
        String line = String.format("  [%s] %,d records in %.2f s: %,.0f records/s, %.1f MB/s (%,.0f bytes per"
                + " record serialized, %.0f MB stored); first record after %.2f s, then %,.0f records/s"
                + " [target > 50,000 records/s]", label, end, seconds, end / seconds,
                end * bytesPerRecord / seconds / 1e6, bytesPerRecord, stored / 1e6, startup, (end - 1) / steady);
        System.out.println(line);
        System.out.println("    " + cpuUse);
        RESULTS.add(line);
        RESULTS.add("    " + cpuUse);

        JsonNode lastValue = JSON.readTree(last.value());
        JsonNode lastPayload = lastValue.has("payload") ? lastValue.get("payload") : lastValue;
        assertThat(lastPayload.at("/op").asText()).isEqualTo("r");
        assertThat(lastPayload.at("/source/snapshot").asText()).isEqualTo("last");
        if (verify) {
            verifyEveryRecordOnce(run);
        }
        topics.delete(topic);
    }

    /**
     * Reads the whole topic: every key once, every value a snapshot read; every 500th record compared field by
     * field with the org.
     */
    private static void verifyEveryRecordOnce(Run run) throws IOException {
        TopicPartition tp = new TopicPartition(run.topic(), 0);
        Map<String, Map<String, Object>> expected = org.records(OBJECT);
        Set<String> seen = new java.util.HashSet<>();
        List<String> differences = new ArrayList<>();
        long read = 0;
        long notReads = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = topics.consumer()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (read < run.records() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= run.records()) {
                        continue;
                    }
                    read++;
                    String id = JSON.readTree(r.key()).at("/payload/Id").asText();
                    seen.add(id);
                    if (read % 500 == 0) {
                        JsonNode payload = JSON.readTree(r.value()).get("payload");
                        if (!"r".equals(payload.get("op").asText())) {
                            notReads++;
                        }
                        differences.addAll(differences(id, expected.get(id), payload.get("after")));
                    }
                }
            }
        }
        System.out.printf("  verified: %,d records read back, %,d distinct Ids, %,d compared field by field%n", read,
                seen.size(), read / 500);
        assertThat(read).isEqualTo(RECORDS);
        assertThat(seen).hasSize(RECORDS).isEqualTo(expected.keySet());
        assertThat(notReads).isZero();
        assertThat(differences).isEmpty();
    }

    private static List<String> differences(String id, Map<String, Object> expected, JsonNode after) {
        List<String> diffs = new ArrayList<>();
        if (expected == null) {
            return List.of(id + " is not in Salesforce");
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        after.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
        assertThat(fields).hasSize(30);
        for (Map.Entry<String, JsonNode> f : fields.entrySet()) {
            String want = BenchTopics.text(expected.get(f.getKey()));
            String got = BenchTopics.text(f.getValue());
            if (!java.util.Objects.equals(want, got)) {
                diffs.add(id + "." + f.getKey() + ": Salesforce " + want + ", topic " + got);
            }
        }
        return diffs;
    }
}
