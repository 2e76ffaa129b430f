package dev.lockstep.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.it.harness.ConnectClusterExtension.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The content of one Salesforce change topic as a consumer sees it: every message in order, and the state they
 * fold into — what a downstream table holds after applying them (complete rows replace, partial updates merge only
 * their changed and nulled fields, deletes and tombstones remove).
 */
public final class ChangeTopic {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Message> messages;
    private final Map<String, Map<String, JsonNode>> state = new TreeMap<>();

    private ChangeTopic(List<Message> messages) {
        this.messages = messages;
        for (Message m : messages) {
            String id = m.keyPayload().get("Id").asText();
            JsonNode v = m.payload();
            if (v == null || v.isNull()) {
                state.remove(id);
                continue;
            }
            String op = v.get("op").asText();
            if (op.equals("d")) {
                state.remove(id);
                continue;
            }
            JsonNode after = v.get("after");
            JsonNode source = v.get("source");
            Map<String, JsonNode> row = new LinkedHashMap<>();
            after.properties().forEach(e -> row.put(e.getKey(), e.getValue()));
            if (source.get("complete").asBoolean()) {
                state.put(id, row);
            } else {
                Map<String, JsonNode> merged = state.computeIfAbsent(id, k -> new LinkedHashMap<>());
                merged.put("Id", after.get("Id"));
                for (String list : List.of("changed_fields", "nulled_fields")) {
                    JsonNode names = source.get(list);
                    if (names != null && names.isArray()) {
                        names.forEach(n -> merged.put(n.asText(), after.get(n.asText())));
                    }
                }
            }
        }
    }

    /** Everything on the topic now (read committed, so aborted transactions are not seen). */
    public static ChangeTopic read(ConnectClusterExtension connect, String topic) {
        List<Message> messages = new ArrayList<>();
        try {
            Map<String, Object> consumer = Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            for (ConsumerRecord<byte[], byte[]> r : connect.cluster().kafka().consumeAll(60_000, consumer, Map.of(),
                    topic)) {
                messages.add(new Message(r.topic(), r.partition(), r.offset(), parse(r.key()), parse(r.value())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read " + topic + ": " + e.getMessage(), e);
        }
        messages.sort(java.util.Comparator.comparingInt(Message::partition).thenComparingLong(Message::offset));
        return new ChangeTopic(messages);
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return bytes == null ? null : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Message> messages() {
        return messages;
    }

    /** Record Id → field → value, after folding every message. */
    public Map<String, Map<String, JsonNode>> state() {
        return state;
    }

    /** The change messages (not tombstones) with this {@code op}. */
    public List<Message> withOp(String op) {
        return messages.stream().filter(m -> m.payload() != null && !m.payload().isNull()
                && op.equals(m.payload().get("op").asText())).toList();
    }

    public long tombstones() {
        return messages.stream().filter(m -> m.payload() == null || m.payload().isNull()).count();
    }

    /**
     * The differences between the folded state and the expected records (Id → field → Java value as the emulator
     * keeps it), over {@code fields}; empty when they agree. Values are compared in one text form: numbers without
     * trailing zeros, date-times as epoch milliseconds, dates as epoch days, times as milliseconds of the day, bytes
     * (blobs) as base64, the way the JSON converter writes Connect's logical types and BYTES.
     */
    public List<String> differencesFrom(Map<String, Map<String, Object>> expected, Collection<String> fields) {
        List<String> diffs = new ArrayList<>();
        for (String id : expected.keySet()) {
            if (!state.containsKey(id)) {
                diffs.add(id + " missing from the topic");
            }
        }
        for (String id : state.keySet()) {
            if (!expected.containsKey(id)) {
                diffs.add(id + " on the topic but not in Salesforce");
            }
        }
        for (Map.Entry<String, Map<String, Object>> e : expected.entrySet()) {
            Map<String, JsonNode> actual = state.get(e.getKey());
            if (actual == null) {
                continue;
            }
            for (String field : fields) {
                String want = text(e.getValue().get(field));
                String got = text(actual.get(field));
                if (!java.util.Objects.equals(want, got)) {
                    diffs.add(e.getKey() + "." + field + ": Salesforce " + want + ", topic " + got);
                }
            }
        }
        return diffs;
    }

    /** The field {@code name} of a struct schema as the JSON converter writes it ({@code {"field": ...}}), or null. */
    public static JsonNode schemaField(JsonNode structSchema, String name) {
        for (JsonNode f : structSchema.get("fields")) {
            if (f.get("field").asText().equals(name)) {
                return f;
            }
        }
        return null;
    }

    static String text(Object value) {
        if (value == null || value instanceof JsonNode n && n.isNull()) {
            return null;
        }
        if (value instanceof JsonNode n) {
            if (n.isNumber()) {
                return new BigDecimal(n.asText()).stripTrailingZeros().toPlainString();
            }
            if (n.isArray()) {
                List<String> items = new ArrayList<>();
                n.forEach(i -> items.add(i.asText()));
                return String.join(";", items);
            }
            return n.asText();
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
        if (value instanceof byte[] bytes) {
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Collection<?> c) {
            return String.join(";", c.stream().map(String::valueOf).toList());
        }
        return value.toString();
    }
}
