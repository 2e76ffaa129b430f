package dev.lockstep.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.cli.connect.ConnectorTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How status reads Connect's answers and the error topics' records. */
class StatusCollectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static final String OFFSETS = """
            {"offsets": [
              {"partition": {"v": 1, "org": "00D000000000001AAA", "object": "Account"},
               "offset": {"phase": "stream", "replay_id": "AAAAAAAAMDk=", "commit_ts": 1777636800000}},
              {"partition": {"v": 1, "org": "00D000000000001AAA", "object": "Contact"},
               "offset": {"phase": "snapshot", "snapshot_started": 1777636000000, "last_id": "003000000000042AAA",
                          "done": 420, "total": 1000}},
              {"partition": {"v": 1, "org": "00D000000000001AAA", "object": "Task"},
               "offset": {"phase": "poll", "systemmodstamp": 1777636700000, "deleted_since": 1777636600000}}
            ]}""";

    @Test
    void theSourcesOffsetsGiveEachObjectsPhaseAndProgress() throws Exception {
        JsonNode offsets = json(OFFSETS);

        StatusReport.Progress account = StatusCollector.progress(offsets, "Account");
        assertThat(account.phase()).isEqualTo("streaming");
        assertThat(account.lastChange()).isEqualTo(Instant.ofEpochMilli(1777636800000L));

        StatusReport.Progress contact = StatusCollector.progress(offsets, "Contact");
        assertThat(contact.phase()).isEqualTo("snapshot");
        assertThat(contact.done()).isEqualTo(420);
        assertThat(contact.total()).isEqualTo(1000);
        assertThat(StatusPrinter.phase(contact)).isEqualTo("snapshot 42% (420/1000)");

        assertThat(StatusCollector.progress(offsets, "Task").phase()).isEqualTo("polling");
        assertThat(StatusCollector.progress(offsets, "Lead").phase()).isEqualTo(StatusReport.Progress.NOT_STARTED);
        assertThat(StatusCollector.progress(null, "Lead")).isNull();
    }

    @Test
    void aConnectorsStatusKeepsTheFirstLineOfEachTrace() throws Exception {
        ConnectorTemplate sink = new ConnectorTemplate("lockstep-postgres-salesforce-account",
                Map.of("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector"));
        StatusReport.Connector c = StatusCollector.connector(sink, json("""
                {"name": "lockstep-postgres-salesforce-account", "type": "sink",
                 "connector": {"state": "RUNNING", "worker_id": "w1"},
                 "tasks": [{"id": 0, "state": "FAILED", "worker_id": "w1",
                            "trace": "org.apache.kafka.connect.errors.ConnectException: boom\\n\\tat X.y(X.java:1)"}]}
                """));
        assertThat(c.type()).isEqualTo("sink");
        assertThat(c.state()).isEqualTo("RUNNING");
        assertThat(c.running()).isFalse();
        assertThat(c.tasks()).singleElement().satisfies(t -> {
            assertThat(t.state()).isEqualTo("FAILED");
            assertThat(t.trace()).isEqualTo("org.apache.kafka.connect.errors.ConnectException: boom");
        });

        ConnectorTemplate source = new ConnectorTemplate("lockstep-salesforce",
                Map.of("connector.class", "dev.lockstep.source.SalesforceSourceConnector"));
        StatusReport.Connector missing = StatusCollector.connector(source, null);
        assertThat(missing.state()).isEqualTo(StatusReport.Connector.MISSING);
        assertThat(missing.type()).isEqualTo("source");
    }

    @Test
    void aSinksConsumerGroupIsConnectsUnlessOverridden() throws Exception {
        assertThat(StatusCollector.consumerGroup("s", json("{}"))).isEqualTo("connect-s");
        assertThat(StatusCollector.consumerGroup("s", null)).isEqualTo("connect-s");
        assertThat(StatusCollector.consumerGroup("s", json("{\"consumer.override.group.id\": \"g\"}")))
                .isEqualTo("g");
    }

    @Test
    void sourceErrorRecordsAreReadWhateverTheConverterWroteAroundThem() {
        String body = "{\"object\":\"Account\",\"id\":\"001A\",\"error\":\"bad value\"}";
        String quoted = JSON.getNodeFactory().textNode(body).toString();
        for (String value : new String[] {body, quoted, "{\"schema\":{\"type\":\"string\"},\"payload\":" + quoted + "}",
                "\u0000\u0000\u0000\u0000\u0001X" + body}) {
            JsonNode read = KafkaTopics.sourceErrorBody(value.getBytes(StandardCharsets.UTF_8));
            assertThat(read).as(value).isNotNull();
            assertThat(read.path("object").asText()).isEqualTo("Account");
            assertThat(read.path("error").asText()).isEqualTo("bad value");
        }
        assertThat(KafkaTopics.sourceErrorBody("not json".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(KafkaTopics.sourceErrorBody(null)).isNull();
    }
}
