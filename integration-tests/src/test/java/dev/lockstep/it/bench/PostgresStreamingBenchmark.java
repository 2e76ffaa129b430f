package dev.lockstep.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.demo.DemoData;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.emulator.org.WriteContext;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.PostgresExtension;
import dev.lockstep.it.harness.PostgresMirror;
import dev.lockstep.it.harness.PostgresSync;
import dev.lockstep.it.harness.SalesforceOrg;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
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
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How soon a change committed in Salesforce is visible in Postgres, end to end through the source connector, Kafka
 * and the JDBC sink with our transforms, deployed from a mapping file ({@link PostgresSync}). {@value #RECORDS}
 * Accounts are generated and snapshotted into the table; once changes stream, the benchmark commits single-record
 * updates at a steady {@value #DEFAULT_RATE} changes/s through the emulator's write path, each writing a unique
 * marker into {@code AccountNumber}, and notes the time each commit returned.
 *
 * <p>Three clocks, all the machine's wall clock: the broker's append time of the change's record (the topic uses
 * {@code LogAppendTime}); a trigger the benchmark puts on the table ({@code AFTER INSERT OR UPDATE FOR EACH ROW})
 * stores each marker with {@code clock_timestamp()}, the moment the sink wrote the row, inside its transaction; the
 * same trigger sends a {@code NOTIFY}, which Postgres delivers only once that transaction has committed, so the
 * time a listening connection receives it is when the row became visible to readers. p50, p95, p99 and max of each
 * are printed, with the API calls per 1,000 changes, for {@code update_mode} partial (no calls expected) and full
 * (batched re-reads), each with Connect's producer defaults and with producer batches sized for the records.
 *
 * <p>Prints numbers (target: p50 under 150 ms, p99 under 500 ms from commit to visible row); asserts that every
 * change reached its row and that the table equals the org afterwards. Run with {@code mvn -B -o verify -Pbenchmark
 * -pl integration-tests -am -Dit.test=PostgresStreamingBenchmark}; {@code -Dbench.pg.rate} and
 * {@code -Dbench.pg.seconds} (30) change the load, {@code -Dbench.pg.stream.variants=partial,full_tuned} picks runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresStreamingBenchmark {

    private static final int DEFAULT_RATE = 500;
    private static final int RATE = Integer.getInteger("bench.pg.rate", DEFAULT_RATE);
    private static final int SECONDS = Integer.getInteger("bench.pg.seconds", 30);
    private static final int RECORDS = 5000;
    private static final String OBJECT = AccountMapping.OBJECT;
    private static final String MARK = "bench-";
    private static final String CHANNEL = "bench_seen";
    private static final String PROBE = "probe-";
    private static final Duration BOUND = Duration.ofMinutes(3);
    /** The producer settings that took SourceStreamingBenchmark's p99 from seconds to milliseconds. */
    private static final Map<String, String> TUNED = Map.of("producer.override.batch.size", "1048576",
            "producer.override.compression.type", "lz4");
    /** The sink's consumer waits up to 50 ms for 1 MiB: at 500 changes/s, one put per 50 ms instead of per trickle. */
    private static final Map<String, String> FEWER_PUTS = Map.of("consumer.override.fetch.min.bytes", "1048576",
            "consumer.override.fetch.max.wait.ms", "50");
    private static final ObjectMapper JSON = new ObjectMapper();

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
    private static List<String> ids;
    private static WriteContext writer;
    private static int written;
    private static final List<String> RESULTS = new ArrayList<>();

    @BeforeAll
    static void seed() {
        org = new SalesforceOrg(SALESFORCE.emulator());
        mirror = new PostgresMirror(POSTGRES);
        topics = new BenchTopics(CONNECT);
        DemoData.generate(SALESFORCE.emulator().org(), Map.of(OBJECT, RECORDS), 13L);
        ids = new ArrayList<>(org.records(OBJECT).keySet());
        writer = new WriteContext(SALESFORCE.emulator().adminUserId(), "REST API", "bench", "61.0");
        System.out.printf("%nPOSTGRES STREAMING BENCHMARK%n  %,d %s records in the org; %d cores%n", RECORDS, OBJECT,
                Runtime.getRuntime().availableProcessors());
    }

    @AfterAll
    static void close() {
        System.out.printf("%nPOSTGRES STREAMING BENCHMARK SUMMARY (%s, %d fields, %,d changes/s for %d s)%n", OBJECT,
                AccountMapping.FIELDS.size(), RATE, SECONDS);
        RESULTS.forEach(System.out::println);
        if (topics != null) {
            topics.close();
        }
        if (org != null) {
            org.close();
        }
    }

    /** Change events applied as they are: only the changed columns are written. Connect's producer defaults. */
    @Test
    @Order(1)
    void partialMode() throws Exception {
        Run run = stream("partial", Map.of("update_mode", "partial"), Map.of(), Map.of());
        assertThat(run.calls()).as("API calls while streaming in partial mode").isEmpty();
    }

    /** The same with producer batches sized for records of 7 KB. */
    @Test
    @Order(2)
    void partialModeTuned() throws Exception {
        Run run = stream("partial_tuned", Map.of("update_mode", "partial"), TUNED, Map.of());
        assertThat(run.calls()).as("API calls while streaming in partial mode").isEmpty();
    }

    /**
     * The same with the sink's consumer waiting up to 50 ms for more records before handing them over: fewer, larger
     * puts, each of which costs the JDBC sink its table metadata queries.
     */
    @Test
    @Order(3)
    void partialModeTunedFewerPuts() throws Exception {
        Run run = stream("partial_fewer_puts", Map.of("update_mode", "partial"), TUNED, FEWER_PUTS);
        assertThat(run.calls()).as("API calls while streaming in partial mode").isEmpty();
    }

    /** Every changed record re-read (one SOQL query per batch of up to 200), the whole row written. */
    @Test
    @Order(4)
    void fullMode() throws Exception {
        Run run = stream("full", Map.of("update_mode", "full"), Map.of(), Map.of());
        assertThat(run.calls()).containsKey("rest.query");
    }

    /** The same with producer batches sized for records of 7 KB. */
    @Test
    @Order(5)
    void fullModeTuned() throws Exception {
        Run run = stream("full_tuned", Map.of("update_mode", "full"), TUNED, Map.of());
        assertThat(run.calls()).containsKey("rest.query");
    }

    // ------------------------------------------------------------------------------------------------ running

    private record Run(int changes, Map<String, Long> calls) {}

    private static Run stream(String variant, Map<String, String> mappingOptions, Map<String, String> sourceSettings,
            Map<String, String> sinkSettings) throws Exception {
        String wanted = System.getProperty("bench.pg.stream.variants", "");
        Assumptions.assumeTrue(wanted.isBlank() || List.of(wanted.split(",")).contains(variant),
                () -> variant + " is not in bench.pg.stream.variants=" + wanted);
        String name = "stream-" + variant.replace('_', '-');
        String schema = "stream_" + variant;
        String table = AccountMapping.table(schema);
        Map<String, String> source = new HashMap<>(sourceSettings);
        // The broker stamps each record with its append time: the latency splits at Kafka.
        source.put("topic.creation.default.message.timestamp.type", "LogAppendTime");
        PostgresSync sync = PostgresSync.deploy(name, AccountMapping.json(schema, mappingOptions), org, POSTGRES,
                CONNECT, source, sinkSettings);
        Eventually.until("the snapshot of " + RECORDS + " records in " + table, BOUND,
                () -> ((Number) POSTGRES.query("SELECT count(*) AS n FROM " + table).get(0).get("n")).longValue(),
                n -> n >= RECORDS);
        watch(schema, table);

        try (Listener listener = new Listener()) {
            String mark = MARK + variant + "-";
            awaitStreaming(listener, mark + PROBE);

            Map<String, Long> before = SALESFORCE.emulator().counters().snapshot();
            Map<String, String> kinds = new LinkedHashMap<>();
            kinds.put("task-thread-" + name + "-postgres-", "sink task");
            kinds.put("task-thread-" + name + "-salesforce", "source task");
            CpuUse cpu = CpuUse.start(kinds);
            PostgresCpu postgresCpu = PostgresCpu.start(POSTGRES);
            int changes = RATE * SECONDS;
            Map<String, Instant> committed = new HashMap<>(changes * 2);
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
                String id = ids.get((written + i) % RECORDS);
                String marker = mark + (written + i);
                int employees = 1 + (written + i) % 50_000;
                SALESFORCE.emulator().org().write(writer, txn -> {
                    txn.update(id, Map.of("AccountNumber", marker, "NumberOfEmployees", employees));
                    return null;
                });
                committed.put(marker, Instant.now());
            }
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            written += changes;

            Eventually.until(variant + ": " + changes + " changes visible in " + table, BOUND,
                    () -> listener.received.keySet().containsAll(committed.keySet()));
            String cpuUse = cpu.stop();
            String serverCpu = postgresCpu.describe();
            Map<String, Long> calls = BenchStats.delta(before, SALESFORCE.emulator().counters().snapshot());

            Map<String, List<Instant>> writes = writtenAt(schema, mark);
            Map<String, Instant> appended = appendedAt(name + "." + OBJECT, mark, committed.size());
            long[] visible = latencies(committed, listener.received::get);
            long[] inKafka = latencies(committed, appended::get);
            long[] inTransaction = latencies(committed, marker -> writes.containsKey(marker)
                    ? writes.get(marker).get(0) : null);
            long duplicates = writes.values().stream().filter(times -> times.size() > 1).count();
            long total = calls.values().stream().mapToLong(Long::longValue).sum();
            String line = String.format("  [update_mode %s] %,d changes committed in %.1f s (%,.0f/s, writer at most"
                    + " %.0f ms behind schedule)%n    commit → row visible (NOTIFY received after the sink's commit):"
                    + " %s [target p50 < 150 ms, p99 < 500 ms]%n    commit → row written (trigger's"
                    + " clock_timestamp(), inside the sink's transaction): %s%n    commit → record appended to the"
                    + " topic (LogAppendTime): %s%n    API calls while streaming: %,d (%.1f per 1,000 changes) %s%n"
                    + "    %s; %s", variant, changes, writeSeconds, changes / writeSeconds, behind / 1e6,
                    percentiles(visible), percentiles(inTransaction), percentiles(inKafka), total,
                    total * 1000.0 / changes, calls, cpuUse, serverCpu);
            System.out.println(line);
            RESULTS.add(line);

            List<String> missing = committed.keySet().stream().filter(m -> !writes.containsKey(m)).toList();
            sync.delete(CONNECT);
            List<String> differences = mirror.differencesFrom(sync.mapping(OBJECT), org.records(OBJECT),
                    AccountMapping.FIELDS);
            String verified = String.format("    verified: %,d of %,d changes written, %d written twice, table equal"
                    + " to the org (%d differences)", changes - missing.size(), changes, duplicates,
                    differences.size());
            System.out.println(verified);
            RESULTS.add(verified);
            assertThat(missing).as(variant + ": changes never written").isEmpty();
            assertThat(differences).as(variant + ": rows that differ from the org").isEmpty();
            POSTGRES.execute("DROP SCHEMA " + schema + " CASCADE");
            return new Run(changes, calls);
        }
    }

    /** The trigger that records when the sink writes each marked row, and notifies once it is committed. */
    private static void watch(String schema, String table) throws SQLException {
        POSTGRES.execute("CREATE TABLE " + schema + ".bench_seen (marker text NOT NULL, written_at timestamptz NOT"
                + " NULL)",
                "CREATE FUNCTION " + schema + ".bench_seen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " IF NEW.accountnumber LIKE '" + MARK + "%' THEN"
                        + " INSERT INTO " + schema + ".bench_seen VALUES (NEW.accountnumber, clock_timestamp());"
                        + " PERFORM pg_notify('" + CHANNEL + "', NEW.accountnumber);"
                        + " END IF; RETURN NULL; END $$",
                "CREATE TRIGGER bench_seen AFTER INSERT OR UPDATE ON " + table + " FOR EACH ROW EXECUTE FUNCTION "
                        + schema + ".bench_seen()");
    }

    /** Marker → every time the trigger saw it written. */
    private static Map<String, List<Instant>> writtenAt(String schema, String mark) throws SQLException {
        Map<String, List<Instant>> written = new HashMap<>();
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT marker, written_at FROM " + schema + ".bench_seen WHERE marker"
                        + " LIKE '" + mark + "%' AND marker NOT LIKE '" + mark + PROBE + "%'")) {
            while (rs.next()) {
                written.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(rs.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
        return written;
    }

    /** Marker → when the broker appended the first record carrying it to {@code topic}. */
    private static Map<String, Instant> appendedAt(String topic, String mark, int markers) throws IOException {
        Map<String, Instant> appended = new HashMap<>();
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = topics.consumer()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue;
                    }
                    String marker = JSON.readTree(r.value()).at("/payload/after/AccountNumber").asText("");
                    if (marker.startsWith(mark) && !marker.startsWith(mark + PROBE)) {
                        appended.putIfAbsent(marker, Instant.ofEpochMilli(r.timestamp()));
                    }
                }
            }
        }
        assertThat(appended).as("changes on " + topic).hasSize(markers);
        return appended;
    }

    /**
     * Writes a probe change a second until one is visible in the table: the connector then streams live (its
     * subscription is accepted and the re-read after the snapshot is done).
     */
    private static void awaitStreaming(Listener listener, String probe) {
        long[] lastProbe = {0};
        int[] probes = {0};
        Eventually.until("the connector to stream changes into Postgres", BOUND, () -> {
            if (System.nanoTime() - lastProbe[0] > 1_000_000_000L) {
                lastProbe[0] = System.nanoTime();
                String marker = probe + probes[0]++;
                SALESFORCE.emulator().org().write(writer, txn -> {
                    txn.update(ids.get(0), Map.of("AccountNumber", marker));
                    return null;
                });
            }
            return listener.received.keySet().stream().anyMatch(m -> m.startsWith(probe));
        });
    }

    /** Milliseconds from each commit to when it was seen ({@code seen} is null for a change never seen), ascending. */
    private static long[] latencies(Map<String, Instant> committed, Function<String, Instant> seen) {
        long[] latency = committed.entrySet().stream().filter(e -> seen.apply(e.getKey()) != null)
                .mapToLong(e -> e.getValue().until(seen.apply(e.getKey()), ChronoUnit.MICROS))
                .map(micros -> Math.round(micros / 1000.0)).toArray();
        Arrays.sort(latency);
        return latency;
    }

    private static String percentiles(long[] sorted) {
        return String.format("p50 %d ms, p95 %d ms, p99 %d ms, max %d ms (%,d changes)",
                BenchStats.percentile(sorted, 50), BenchStats.percentile(sorted, 95),
                BenchStats.percentile(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1], sorted.length);
    }

    /**
     * A connection that {@code LISTEN}s on the trigger's channel and notes when each marker's notification arrives,
     * on a thread of its own so that arrival is timed as it happens.
     */
    private static final class Listener implements AutoCloseable {
        final Map<String, Instant> received = new ConcurrentHashMap<>();
        private final Connection connection;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile SQLException failure;

        Listener() throws SQLException {
            connection = POSTGRES.connection();
            try (Statement s = connection.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            }
            PGConnection pg = connection.unwrap(PGConnection.class);
            thread = new Thread(() -> {
                try {
                    while (running) {
                        PGNotification[] notifications = pg.getNotifications(100);
                        Instant now = Instant.now();
                        if (notifications != null) {
                            for (PGNotification n : notifications) {
                                received.putIfAbsent(n.getParameter(), now);
                            }
                        }
                    }
                } catch (SQLException e) {
                    failure = e;
                }
            }, "bench-listener");
            thread.start();
        }

        @Override
        public void close() throws SQLException {
            running = false;
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connection.close();
            if (failure != null) {
                throw failure;
            }
        }
    }
}
