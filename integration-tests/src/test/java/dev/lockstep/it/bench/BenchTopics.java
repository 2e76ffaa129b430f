package dev.lockstep.it.bench;

import dev.lockstep.it.harness.ConnectClusterExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the source benchmarks need from the broker without reading whole topics into memory: end offsets, single
 * records, stored sizes, and raw consumers; plus one text form to compare a topic's values with the emulator's.
 */
final class BenchTopics implements AutoCloseable {

    private final ConnectClusterExtension connect;
    private final Admin admin;

    BenchTopics(ConnectClusterExtension connect) {
        this.connect = connect;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, connect.bootstrapServers()));
    }

    Admin admin() {
        return admin;
    }

    boolean exists(String topic) throws InterruptedException, ExecutionException {
        return admin.listTopics().names().get().contains(topic);
    }

    long endOffset(TopicPartition tp) throws InterruptedException, ExecutionException {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
    }

    /** Bytes the broker stores for the partition (after compression, if any). */
    long storedBytes(TopicPartition tp) throws InterruptedException, ExecutionException {
        long bytes = 0;
        for (var dir : admin.describeLogDirs(List.of(0)).allDescriptions().get().get(0).values()) {
            ReplicaInfo info = dir.replicaInfos().get(tp);
            if (info != null) {
                bytes += info.size();
            }
        }
        return bytes;
    }

    void delete(String topic) throws InterruptedException, ExecutionException {
        admin.deleteTopics(List.of(topic)).all().get();
    }

    /** A consumer of raw bytes, assigned partitions by the caller, committing nothing. */
    KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connect.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    ConsumerRecord<byte[], byte[]> recordAt(TopicPartition tp, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        return r;
                    }
                }
            }
            throw new AssertionError("No record at " + tp + "@" + offset);
        }
    }

    /** Mean key plus value bytes of 2,000 records spread over the first {@code end} offsets. */
    double averageSerializedBytes(TopicPartition tp, long end) {
        long bytes = 0;
        int n = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(tp));
            for (int i = 0; i < 20; i++) {
                consumer.seek(tp, end * i / 20);
                int taken = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (taken < 100 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (taken++ < 100) {
                            bytes += r.serializedKeySize() + r.serializedValueSize();
                            n++;
                        }
                    }
                }
            }
        }
        return bytes / (double) n;
    }

    /** One text form for both sides, as the JSON converter writes Connect's logical types. */
    static String text(Object value) {
        if (value == null || value instanceof com.fasterxml.jackson.databind.JsonNode n && n.isNull()) {
            return null;
        }
        if (value instanceof com.fasterxml.jackson.databind.JsonNode n) {
            return n.isNumber() ? new BigDecimal(n.asText()).stripTrailingZeros().toPlainString() : n.asText();
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Instant i) {
            return Long.toString(i.toEpochMilli());
        }
        if (value instanceof LocalDate d) {
            return Long.toString(d.toEpochDay());
        }
        if (value instanceof LocalTime t) {
            return Long.toString(t.toNanoOfDay() / 1_000_000);
        }
        return value.toString();
    }

    @Override
    public void close() {
        admin.close();
    }
}
