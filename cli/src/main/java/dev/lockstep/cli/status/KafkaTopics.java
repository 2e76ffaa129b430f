package dev.lockstep.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What status reads from Kafka itself (only with {@code --bootstrap-servers}): the newest records of the
 * dead-letter and error topics, read without a consumer group (nothing is committed, no group appears), and a sink
 * connector's consumer-group lag.
 */
public final class KafkaTopics implements AutoCloseable {

    /** The headers Connect writes on a dead-lettered record ({@code errors.deadletterqueue.context.headers.enable}). */
    static final String HEADER_TOPIC = "__connect.errors.topic";
    static final String HEADER_PARTITION = "__connect.errors.partition";
    static final String HEADER_OFFSET = "__connect.errors.offset";
    static final String HEADER_CONNECTOR = "__connect.errors.connector.name";
    static final String HEADER_MESSAGE = "__connect.errors.exception.message";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Admin admin;

    /**
     * @param bootstrapServers the brokers
     * @param clientProperties further client settings (security: {@code security.protocol}, {@code sasl.*},
     *     {@code ssl.*})
     */
    public KafkaTopics(String bootstrapServers, Properties clientProperties) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "lockstep-status");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        Properties adminProps = new Properties();
        adminProps.putAll(clientProperties);
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "lockstep-status");
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(adminProps);
    }

    /** A record read back: when it was written, its headers (as text) and its value. */
    record Message(Instant at, Map<String, String> headers, byte[] value) {
    }

    /**
     * The newest records of a topic, at most {@code count} per partition, newest first; none when the topic does
     * not exist (nothing has been dead-lettered yet).
     */
    List<Message> newest(String topic, int count) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, TIMEOUT);
        if (partitions == null || partitions.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(assigned);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(assigned, TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned, TIMEOUT);
        Map<TopicPartition, Long> remaining = new HashMap<>();
        for (TopicPartition tp : assigned) {
            long from = Math.max(begin.get(tp), end.get(tp) - count);
            consumer.seek(tp, from);
            if (from < end.get(tp)) {
                remaining.put(tp, end.get(tp));
            }
        }
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!remaining.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("Could not read " + topic + " to its end within " + TIMEOUT.toSeconds()
                        + " s (partitions left: " + remaining.keySet() + ")");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                Long stop = remaining.get(tp);
                if (stop == null || r.offset() >= stop) {
                    continue;
                }
                messages.add(new Message(Instant.ofEpochMilli(r.timestamp()), headers(r), r.value()));
            }
            remaining.entrySet().removeIf(e -> consumer.position(e.getKey(), TIMEOUT) >= e.getValue());
        }
        consumer.unsubscribe();
        messages.sort(Comparator.comparing(Message::at).reversed());
        return messages;
    }

    private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    /**
     * The dead-letter topic's newest records (at most {@code count} per partition), newest first, from their
     * headers.
     */
    public List<StatusReport.DeadLetter> deadLetters(String topic, int count) {
        List<StatusReport.DeadLetter> letters = new ArrayList<>();
        for (Message m : newest(topic, count)) {
            letters.add(new StatusReport.DeadLetter(m.at(), m.headers().get(HEADER_CONNECTOR),
                    m.headers().get(HEADER_TOPIC), number(m.headers().get(HEADER_PARTITION), Integer::valueOf),
                    number(m.headers().get(HEADER_OFFSET), Long::valueOf), m.headers().get(HEADER_MESSAGE)));
        }
        return letters;
    }

    /**
     * The source connector's error topic's newest records, newest first, keyed by object: each value is the JSON
     * the source writes ({@code object}, {@code id}, {@code error}), as the worker's converter wrote it.
     */
    public Map<String, List<StatusReport.SourceError>> sourceErrors(String topic, int count) {
        Map<String, List<StatusReport.SourceError>> errors = new HashMap<>();
        for (Message m : newest(topic, count)) {
            JsonNode body = sourceErrorBody(m.value());
            if (body != null) {
                errors.computeIfAbsent(body.path("object").asText(""), o -> new ArrayList<>())
                        .add(new StatusReport.SourceError(m.at(), body.path("id").asText(null),
                                body.path("error").asText(null)));
            }
        }
        return errors;
    }

    /**
     * The JSON object inside an error record's value: the value itself, a JSON string holding it, or a JSON
     * converter's {@code {"schema", "payload"}} around either; found between the outermost braces otherwise (a
     * binary converter such as Avro frames the text). Null when there is none.
     */
    static JsonNode sourceErrorBody(byte[] value) {
        if (value == null) {
            return null;
        }
        String text = new String(value, StandardCharsets.UTF_8);
        JsonNode node = parse(text);
        for (int depth = 0; depth < 3 && node != null; depth++) {
            if (node.isObject() && node.has("payload")) {
                node = node.get("payload");
            } else if (node.isTextual()) {
                node = parse(node.asText());
            } else {
                break;
            }
        }
        if (node != null && node.isObject()) {
            return node;
        }
        int from = text.indexOf('{');
        int to = text.lastIndexOf('}');
        JsonNode inner = from >= 0 && to > from ? parse(text.substring(from, to + 1)) : null;
        return inner != null && inner.isObject() ? inner : null;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static <T> T number(String text, java.util.function.Function<String, T> parse) {
        try {
            return text == null ? null : parse.apply(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Records of {@code topic} a consumer group has not committed yet: the sum over partitions of end offset minus
     * committed offset (partitions without a commit count from their beginning); null when the group has committed
     * nothing.
     */
    public Long consumerLag(String group, String topic) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException("Could not read the offsets of consumer group " + group + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Kafka did not answer for consumer group " + group + " within "
                    + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted", e);
        }
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, TIMEOUT);
        if (committed == null || committed.isEmpty() || partitions == null || partitions.isEmpty()) {
            return null;
        }
        List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(all, TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(all, TIMEOUT);
        long lag = 0;
        for (TopicPartition tp : all) {
            OffsetAndMetadata at = committed.get(tp);
            lag += Math.max(0, end.get(tp) - (at == null ? begin.get(tp) : at.offset()));
        }
        return lag;
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        admin.close(Duration.ofSeconds(5));
    }
}
