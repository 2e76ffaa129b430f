package dev.lockstep.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectWorkerTest {

    @Test
    void workerReadsPluginsFromThePluginPathAndWritesJsonWithSchemasAndNumericDecimals() {
        Map<String, String> props = ConnectWorker.properties("127.0.0.1:9092", 8083, Path.of("/opt/plugins"));

        assertThat(props).containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("listeners", "http://127.0.0.1:8083")
                .containsEntry("plugin.path", "/opt/plugins")
                .containsEntry("plugin.discovery", "service_load")
                .containsEntry("value.converter", "org.apache.kafka.connect.json.JsonConverter")
                .containsEntry("value.converter.schemas.enable", "true")
                .containsEntry("key.converter.schemas.enable", "true")
                .containsEntry("value.converter.decimal.format", "NUMERIC")
                .containsEntry("config.storage.replication.factor", "1")
                .containsEntry("offset.storage.replication.factor", "1")
                .containsEntry("status.storage.replication.factor", "1")
                .containsEntry("group.id", ConnectWorker.GROUP);
    }
}
