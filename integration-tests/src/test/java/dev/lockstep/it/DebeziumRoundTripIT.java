package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.it.harness.ConnectClusterExtension;
import dev.lockstep.it.harness.ConnectClusterExtension.Message;
import dev.lockstep.cli.connect.ConnectorTemplate;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.PostgresExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proof that the harness is real: rows move from one Postgres table to another through the Debezium Postgres
 * source, Kafka and the Debezium JDBC sink, all deployed from the templates in {@code connect-configs/}.
 * The tests run in order against one pipeline: snapshot, then insert, update and delete while streaming.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebeziumRoundTripIT {

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    static final ConnectClusterExtension CONNECT = new ConnectClusterExtension();

    private static final String TOPIC = "rt.public.customers";
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String SOURCE_ROWS =
            "SELECT id, name, email, trim_scale(balance)::text AS balance FROM customers ORDER BY id";
    private static final String COPY_ROWS =
            "SELECT id, name, email, trim_scale(balance)::text AS balance FROM customers_copy ORDER BY id";

    @BeforeAll
    static void deployPipeline() throws Exception {
        POSTGRES.execute(
                "CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, email text,"
                        + " balance numeric(12,2))",
                "ALTER TABLE customers REPLICA IDENTITY FULL",
                "INSERT INTO customers VALUES (1, 'Zoë Ågren', 'zoe@example.com', 10.50),"
                        + " (2, 'Li Wei 李伟', NULL, 0)");

        Map<String, String> values = new HashMap<>(POSTGRES.placeholders());
        values.put("CONNECTOR_NAME", "rt-source");
        values.put("TOPIC_PREFIX", "rt");
        values.put("TABLE_INCLUDE_LIST", "public.customers");
        values.put("SLOT_NAME", "rt_" + POSTGRES.database());
        values.put("REPLICATION_FACTOR", "1");
        String source = CONNECT.deploy(ConnectorTemplate.load("debezium-postgres-source.json", values));

        values.put("CONNECTOR_NAME", "rt-sink");
        values.put("TOPICS", TOPIC);
        values.put("TABLE_NAME_FORMAT", "customers_copy");
        String sink = CONNECT.deploy(ConnectorTemplate.load("debezium-jdbc-sink.json", values));

        CONNECT.awaitRunning(source, 1);
        CONNECT.awaitRunning(sink, 1);
    }

    private static void awaitCopyEqualsSource(String when) throws Exception {
        List<Map<String, Object>> expected = POSTGRES.query(SOURCE_ROWS);
        Eventually.until("customers_copy to equal customers " + when, BOUND, () -> POSTGRES.query(COPY_ROWS),
                expected::equals);
    }

    @Test
    @Order(1)
    void snapshotCopiesExistingRows() throws Exception {
        awaitCopyEqualsSource("after the snapshot");

        assertThat(POSTGRES.query(COPY_ROWS)).hasSize(2)
                .first().satisfies(row -> assertThat(row.get("name")).isEqualTo("Zoë Ågren"));
    }

    @Test
    @Order(2)
    void insertWhileStreamingArrives() throws Exception {
        POSTGRES.execute("INSERT INTO customers VALUES (3, 'Grace', 'grace@example.com', 1234567890.12)");

        awaitCopyEqualsSource("after an insert");
        assertThat(POSTGRES.query(COPY_ROWS)).hasSize(3);
    }

    @Test
    @Order(3)
    void updateArrivesIncludingSetToNull() throws Exception {
        POSTGRES.execute("UPDATE customers SET name = 'Grace Hopper', email = NULL WHERE id = 3",
                "UPDATE customers SET balance = 99.99 WHERE id = 1");

        awaitCopyEqualsSource("after updates");
        assertThat(POSTGRES.query("SELECT email FROM customers_copy WHERE id = 3").get(0).get("email")).isNull();
    }

    @Test
    @Order(4)
    void deleteRemovesTheRowAndLeavesATombstone() throws Exception {
        POSTGRES.execute("DELETE FROM customers WHERE id = 2");

        awaitCopyEqualsSource("after a delete");
        assertThat(POSTGRES.query(COPY_ROWS)).extracting(row -> row.get("id")).containsExactly(1, 3);

        // 3 snapshot/insert reads, 2 updates, 1 delete and its tombstone.
        List<Message> events = CONNECT.read(TOPIC, 7, BOUND);
        assertThat(events).extracting(m -> m.payload() == null ? "tombstone" : m.payload().get("op").asText())
                .containsExactly("r", "r", "c", "u", "u", "d", "tombstone");
        JsonNode delete = events.get(5).payload();
        assertThat(delete.get("before").get("id").asInt()).isEqualTo(2);
        assertThat(delete.get("before").get("name").asText()).isEqualTo("Li Wei 李伟");
        assertThat(events.get(6).keyPayload().get("id").asInt()).isEqualTo(2);
    }
}
