package dev.lockstep.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class KafkaNodeTest {

    @Test
    void nodeIsBrokerAndControllerOnLoopbackWithSingleReplicasAndItsLogInTheStateDirectory() {
        Path log = Path.of("/tmp/state/kafka").toAbsolutePath();
        Properties props = KafkaNode.properties(log, 9092, 9093);

        assertThat(props).containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .containsEntry("log.dirs", log.toString())
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1");
        // Kafka accepts it as a whole.
        assertThat(KafkaConfig.fromProps(props, false).logDirs()).containsExactly(log.toString());
    }
}
