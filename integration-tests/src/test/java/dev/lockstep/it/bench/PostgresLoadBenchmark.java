package dev.lockstep.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.demo.DemoData;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.PostgresExtension;
import dev.lockstep.it.harness.PostgresMirror;
import dev.lockstep.it.harness.PostgresSync;
import dev.lockstep.it.harness.SalesforceOrg;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How fast an initial load reaches Postgres end to end: {@value #DEFAULT_RECORDS} Accounts generated straight into
 * the emulated org, then a mapping file deployed as the command line deploys it ({@link PostgresSync}: schema, JDBC
 * sink with {@code NarrowPartialUpdate → HerokuConnectRow → ReplaceField → PostgresValues}, then the Salesforce
 * source, both from the plugin archive) snapshots them with Bulk API 2.0 through Kafka into a Heroku
 * Connect-style table. The clock runs from the deployment to the last row being in the table (the table's
 * {@code max(id)}, then {@code count(*)}, sampled every 100 ms); rows/s overall and from 10% to 90% of the rows,
 * the time to the first row, when the source had put its last record on the topic, the Salesforce API calls by
 * kind, and CPU seconds by thread kind (Postgres' server processes included) are printed for the defaults and for
 * variants of the consumer, sink, producer and source settings.
 *
 * <p>The mapping is {@link AccountMapping}: {@code Account}, read only, 17 fields.
 *
 * <p>Prints numbers (target: more than 20,000 rows/s on two cores); asserts only that each run put every record in
 * its table once, and that a sample of 1 row in 1,000 equals the org field by field. Run with {@code mvn -B -o
 * verify -Pbenchmark -pl integration-tests -am -Dit.test=PostgresLoadBenchmark}; {@code -Dbench.pg.records=N}
 * changes the record count and {@code -Dbench.pg.variants=defaults,unnest} picks variants by name.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresLoadBenchmark {

    private static final int DEFAULT_RECORDS = 1_000_000;
    private static final int RECORDS = Integer.getInteger("bench.pg.records", DEFAULT_RECORDS);
    private static final String OBJECT = AccountMapping.OBJECT;
    private static final List<String> FIELDS = AccountMapping.FIELDS;
    private static final int SAMPLE_EVERY = 1000;
    private static final Duration BOUND = Duration.ofMinutes(40);
    /** A run in which neither the topic nor the table moved for this long is stuck, not slow. */
    private static final Duration STALL = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Consumer fetches and sink batches sized for bulk: Connect's consumer hands the sink 500 records per put. */
    private static final Map<String, String> SINK_BATCHES = Map.of(
            "consumer.override.max.poll.records", "5000",
            "consumer.override.max.partition.fetch.bytes", "16777216",
            "batch.size", "5000");
    /** The producer settings that made the source snapshot 3.5 times as fast (SourceSnapshotBenchmark). */
    private static final Map<String, String> SOURCE_PRODUCER = Map.of(
            "producer.override.linger.ms", "50",
            "producer.override.batch.size", "1048576",
            "producer.override.compression.type", "lz4");
    /** The Debezium JDBC sink's Postgres path: one {@code INSERT ... SELECT FROM unnest(?, ?, ...)} per batch. */
    private static final Map<String, String> UNNEST = Map.of(
            "dialect.postgres.unnest.insert.enabled", "true",
            // An unnest upsert may not touch one row twice: reduce each batch to the last change per key.
            "use.reduction.buffer", "true");

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(0, 0)
            .withDailyApiLimit(Long.MAX_VALUE));

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension()
            .workerProperty("value.converter.decimal.format", "NUMERIC");

    private static SalesforceOrg org;
    private static BenchTopics topics;
    private static PostgresMirror mirror;
    private static final List<String> RESULTS = new ArrayList<>();

    @BeforeAll
    static void seed() {
        org = new SalesforceOrg(SALESFORCE.emulator());
        topics = new BenchTopics(CONNECT);
        mirror = new PostgresMirror(POSTGRES);
        // No change events for the seed: a load benchmark needs none, and a million of them only cost memory.
        SALESFORCE.emulator().cdc().select(Set.of("User"));
        long start = System.nanoTime();
        DemoData.generate(SALESFORCE.emulator().org(), Map.of(OBJECT, RECORDS), 11L);
        SALESFORCE.emulator().cdc().select(Set.of());
        System.out.printf("%nPOSTGRES LOAD BENCHMARK%n  %,d %s records generated in the org in %.1f s; %d cores,"
                + " max heap %,d MB%n", RECORDS, OBJECT, (System.nanoTime() - start) / 1e9,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    }

    @AfterAll
    static void close() {
        System.out.printf("%nPOSTGRES LOAD BENCHMARK SUMMARY (%,d %s records, %d fields, Salesforce → Postgres)%n",
                RECORDS, OBJECT, FIELDS.size());
        RESULTS.forEach(System.out::println);
        if (topics != null) {
            topics.close();
        }
        if (org != null) {
            org.close();
        }
    }

    /**
     * One unmeasured load of a tenth of the records first (stopped there), so the JIT has compiled the whole path
     * and the seed's last writes are older than the source's re-sync margin before any run is timed.
     */
    @Test
    @Order(0)
    void warmUp() throws Exception {
        if (!Boolean.parseBoolean(System.getProperty("bench.pg.warmup", "true"))) {
            return;
        }
        long start = System.nanoTime();
        Load load = new Load("warmup", Map.of(), Map.of());
        load.deploy();
        Eventually.until("the warm-up load", BOUND, () -> load.maxId() >= RECORDS / 10);
        load.remove();
        System.out.printf("  warm-up load of %,d rows (not measured): %.1f s%n", RECORDS / 10,
                (System.nanoTime() - start) / 1e9);
    }

    @Test
    @Order(1)
    void defaults() throws Exception {
        run("defaults (as the mapping generates them)", "defaults", Map.of(), Map.of());
    }

    @Test
    @Order(2)
    void sinkBatches() throws Exception {
        run("sink: max.poll.records=5000, max.partition.fetch.bytes=16 MiB, batch.size=5000", "sink-batches",
                Map.of(), SINK_BATCHES);
    }

    @Test
    @Order(3)
    void sourceProducer() throws Exception {
        run("the same, source producer linger.ms=50, batch.size=1 MiB, lz4", "source-producer", SOURCE_PRODUCER,
                SINK_BATCHES);
    }

    @Test
    @Order(4)
    void unnest() throws Exception {
        Map<String, String> sink = new HashMap<>(SINK_BATCHES);
        sink.putAll(UNNEST);
        run("the same, sink dialect.postgres.unnest.insert.enabled=true, use.reduction.buffer=true", "unnest",
                SOURCE_PRODUCER, sink);
    }

    /** The same on two partitions, written by two sink tasks: the sink's conversion spread over both cores. */
    @Test
    @Order(5)
    void twoSinkTasks() throws Exception {
        Map<String, String> source = new HashMap<>(SOURCE_PRODUCER);
        source.put("topic.creation.default.partitions", "2");
        Map<String, String> sink = new HashMap<>(SINK_BATCHES);
        sink.putAll(UNNEST);
        sink.put("tasks.max", "2");
        run("the same, 2 topic partitions and sink tasks.max=2", "two-sink-tasks", source, sink);
    }

    /**
     * The unnest variant with the envelope's {@code before} field dropped at the source (Kafka's {@code ReplaceField}):
     * Salesforce sends no before-images, so {@code before} is always null, yet its schema, a copy of {@code after}'s,
     * travels embedded in every record. Shows what a smaller embedded schema saves the converters.
     */
    @Test
    @Order(6)
    void withoutBefore() throws Exception {
        Map<String, String> source = new HashMap<>(SOURCE_PRODUCER);
        source.put("transforms", "dropBefore");
        source.put("transforms.dropBefore.type", "org.apache.kafka.connect.transforms.ReplaceField$Value");
        source.put("transforms.dropBefore.exclude", "before");
        Map<String, String> sink = new HashMap<>(SINK_BATCHES);
        sink.putAll(UNNEST);
        run("unnest, and the envelope's always-null before field dropped at the source", "no-before", source, sink);
    }

    // ------------------------------------------------------------------------------------------------ running

    /** One load: its connectors, schema, topic and table, named after the variant so runs never share anything. */
    private static final class Load {
        final String name;
        final String schema;
        final String table;
        final String topic;
        final Map<String, String> source;
        final Map<String, String> sink;
        final Connection progress;
        PostgresSync sync;

        Load(String variant, Map<String, String> source, Map<String, String> sink) throws SQLException {
            this.name = "load-" + variant;
            this.schema = "load_" + variant.replace('-', '_');
            this.table = AccountMapping.table(schema);
            this.topic = name + "." + OBJECT;
            this.source = source;
            this.sink = sink;
            this.progress = POSTGRES.connection();
        }

        void deploy() throws Exception {
            sync = PostgresSync.deploy(name, AccountMapping.json(schema, Map.of()), org, POSTGRES, CONNECT, source,
                    sink);
        }

        /** The highest {@code id} in the table (ids come from a sequence: a cheap index lookup), 0 before any. */
        long maxId() throws SQLException {
            return single("SELECT coalesce(max(id), 0) FROM " + table);
        }

        long count() throws SQLException {
            return single("SELECT count(*) FROM " + table);
        }

        private long single(String sql) throws SQLException {
            try (Statement s = progress.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                    return 0; // the deployment has not created the schema or the table yet
                }
                throw e;
            }
        }

        /** Records on the topic, over all its partitions. */
        long topicEnd() throws Exception {
            if (!topics.exists(topic)) {
                return 0;
            }
            long end = 0;
            for (TopicPartition tp : partitions()) {
                end += topics.endOffset(tp);
            }
            return end;
        }

        private List<TopicPartition> partitions() throws Exception {
            int partitions = topics.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().size();
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            return all;
        }

        /**
         * What one record of the topic weighs as the worker's converter wrote it: key plus value bytes, and how many
         * of the value's bytes are the schema embedded in it.
         */
        String recordShape() throws Exception {
            ConsumerRecord<byte[], byte[]> first = topics.recordAt(new TopicPartition(topic, 0), 0);
            JsonNode schema = JSON.readTree(first.value()).get("schema");
            int schemaBytes = schema == null ? 0 : JSON.writeValueAsBytes(schema).length;
            List<String> parts = new ArrayList<>();
            if (schema != null) {
                for (JsonNode field : schema.path("fields")) {
                    parts.add(String.format("%s %,d", field.path("field").asText(), JSON.writeValueAsBytes(field)
                            .length));
                }
            }
            return String.format("%,d bytes per record on the topic (key %,d, value %,d, of which %,d the value's"
                    + " embedded schema: %s)", first.serializedKeySize() + first.serializedValueSize(),
                    first.serializedKeySize(), first.serializedValueSize(), schemaBytes, String.join(", ", parts));
        }

        /** Deletes the connectors, the topic and the schema, so the next run starts from nothing. */
        void remove() throws Exception {
            if (sync != null) {
                sync.delete(CONNECT);
            }
            if (topics.exists(topic)) {
                topics.delete(topic);
            }
            POSTGRES.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            progress.close();
        }
    }

    /** What the table and the topic held at one moment of a run. */
    private record Sample(double seconds, long rows, long topicEnd) {}

    /** Runs one load with these settings, prints its numbers and checks the table. */
    private static void run(String label, String variant, Map<String, String> sourceSettings,
            Map<String, String> sinkSettings) throws Exception {
        String wanted = System.getProperty("bench.pg.variants", "");
        if (!wanted.isBlank() && !List.of(wanted.split(",")).contains(variant)) {
            System.out.printf("  [%s] skipped (bench.pg.variants=%s)%n", label, wanted);
            return;
        }
        Load load = new Load(variant, sourceSettings, sinkSettings);
        Map<String, Long> callsBefore = SALESFORCE.emulator().counters().snapshot();
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("task-thread-" + load.name + "-postgres-", "sink task");
        kinds.put("task-thread-" + load.name + "-salesforce", "source task");
        CpuUse cpu = CpuUse.start(kinds);
        PostgresCpu postgresCpu = PostgresCpu.start(POSTGRES);
        long start = System.nanoTime();
        // Deployed on another thread: rows may arrive before every connector reports RUNNING.
        CompletableFuture<Void> deployment = CompletableFuture.runAsync(() -> {
            try {
                load.deploy();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });

        List<Sample> samples = new ArrayList<>();
        long[] lastProgress = {System.nanoTime()};
        Sample[] previous = {new Sample(0, 0, 0)};
        Eventually.until(label + ": " + RECORDS + " rows in " + load.table, BOUND, () -> {
            if (deployment.isCompletedExceptionally()) {
                return true;
            }
            long rows = load.maxId();
            if (rows >= RECORDS) {
                rows = load.count();
            }
            Sample sample = new Sample((System.nanoTime() - start) / 1e9, rows, load.topicEnd());
            samples.add(sample);
            if (sample.rows() != previous[0].rows() || sample.topicEnd() != previous[0].topicEnd()) {
                lastProgress[0] = System.nanoTime();
            }
            previous[0] = sample;
            return rows >= RECORDS || System.nanoTime() - lastProgress[0] > STALL.toNanos();
        });
        deployment.get(1, TimeUnit.MINUTES);
        String cpuUse = cpu.stop();
        double cpuSeconds = cpu.processNanos() / 1e9 + Math.max(0, postgresCpu.seconds());
        String serverCpu = postgresCpu.describe();
        Map<String, Long> calls = BenchStats.delta(callsBefore, SALESFORCE.emulator().counters().snapshot());
        Sample last = samples.get(samples.size() - 1);
        assertThat(last.rows()).as(label + ": rows in " + load.table + " (stalled for " + STALL + " otherwise;"
                + " connectors: " + status(load) + ")").isGreaterThanOrEqualTo(RECORDS);

        double seconds = last.seconds();
        double first = firstAt(samples, 1);
        double tenth = firstAt(samples, RECORDS / 10);
        double ninetieth = firstAt(samples, RECORDS - RECORDS / 10);
        double sourceDone = samples.stream().filter(s -> s.topicEnd() >= RECORDS).mapToDouble(Sample::seconds)
                .findFirst().orElse(seconds);
        double steady = ninetieth > tenth ? (RECORDS - 2L * (RECORDS / 10)) / (ninetieth - tenth) : 0;
        String shape = load.recordShape();
        String line = String.format("  [%s] %,d rows in %.1f s: %,.0f rows/s; first row after %.1f s, 10%%→90%% of"
                + " the rows at %,.0f rows/s; the source had every record on the topic after %.1f s (%,.0f records/s)"
                + " [target > 20,000 rows/s]%n    %s; API calls: %s%n    %s; %s%n    %.0f µs of CPU per row (JVM and"
                + " Postgres): %,.0f rows/s if the run had both cores to itself%n    %s", label, RECORDS, seconds,
                RECORDS / seconds, first, steady, sourceDone, RECORDS / sourceDone, shape, calls, cpuUse, serverCpu,
                cpuSeconds * 1e6 / RECORDS, 2 * RECORDS / cpuSeconds, cpu.topThreads(6));
        System.out.println(line);
        RESULTS.add(line);

        verify(load, label);
        load.remove();
    }

    /** Every record once, none in the dead-letter topic, and 1 row in {@value #SAMPLE_EVERY} equal to the org. */
    private static void verify(Load load, String label) throws Exception {
        Mapping mapping = load.sync.mapping(OBJECT);
        long rows = load.count();
        List<String> duplicates = mirror.duplicateSfids(mapping);
        String deadLetters = load.sync.deadLetterTopic();
        long dead = topics.exists(deadLetters) ? topics.endOffset(new TopicPartition(deadLetters, 0)) : 0;
        Map<String, Map<String, Object>> sample = org.sample(OBJECT, SAMPLE_EVERY);
        List<String> differences = mirror.differencesIn(mapping, sample, FIELDS);
        String line = String.format("    verified: %,d rows, %d duplicate sfids, %d dead letters, %,d rows compared"
                + " field by field with the org, %d differences", rows, duplicates.size(), dead, sample.size(),
                differences.size());
        System.out.println(line);
        RESULTS.add(line);
        assertThat(rows).as(label + ": rows").isEqualTo(RECORDS);
        assertThat(duplicates).as(label + ": duplicate sfids").isEmpty();
        assertThat(dead).as(label + ": records in " + deadLetters).isZero();
        assertThat(differences).as(label + ": sampled rows that differ from the org").isEmpty();
    }

    private static double firstAt(List<Sample> samples, long rows) {
        return samples.stream().filter(s -> s.rows() >= rows).mapToDouble(Sample::seconds).findFirst().orElse(0);
    }

    private static String status(Load load) {
        if (load.sync == null) {
            return "not deployed";
        }
        return String.join("; ", load.sync.connectors().stream()
                .map(c -> CONNECT.rest("connectors/" + c + "/status").toString()).toList());
    }
}
