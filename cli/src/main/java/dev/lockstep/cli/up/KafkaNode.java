package dev.lockstep.cli.up;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single Kafka node in this process, broker and KRaft controller in one, listening on {@value Ports#HOST} only.
 * Its log directory (topics and cluster metadata) lives in the state directory, so topics, Connect's configuration
 * and offsets survive a restart. The storage is formatted on first start only.
 */
final class KafkaNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaNode.class);

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private KafkaNode(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats the log directory if it is new, then starts the node and returns once the broker serves clients.
     *
     * @param logDir the log directory, created if needed
     * @param configFile where the node's configuration is written (the storage formatter reads it)
     * @param clusterId the cluster id to format a new log directory with
     */
    static KafkaNode start(Path logDir, Path configFile, String clusterId, int port, int controllerPort) {
        Properties props = properties(logDir, port, controllerPort);
        try {
            Files.createDirectories(logDir);
            try (Writer out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
                props.store(out, "lockstep up: the local Kafka node (written at every start)");
            }
        } catch (IOException e) {
            throw new UpException("Cannot prepare the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(configFile, clusterId);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            throw new UpException("Kafka did not start: " + e.getMessage(), e);
        }
        return new KafkaNode(server, Ports.HOST + ":" + port);
    }

    /** A new cluster id for a fresh log directory. */
    static String newClusterId() {
        return Uuid.randomUuid().toString();
    }

    /** The node's configuration: one node, both roles, single replicas, state in {@code logDir}. */
    static Properties properties(Path logDir, int port, int controllerPort) {
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@" + Ports.HOST + ":" + controllerPort);
        props.setProperty("listeners", "PLAINTEXT://" + Ports.HOST + ":" + port + ",CONTROLLER://" + Ports.HOST + ":"
                + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://" + Ports.HOST + ":" + port);
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        // One node: every internal topic has one replica, and groups need not wait for more members.
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        // One partition per topic: a single worker reads them all, and fewer logs start and stop faster.
        props.setProperty("num.partitions", "1");
        props.setProperty("offsets.topic.num.partitions", "1");
        props.setProperty("transaction.state.log.num.partitions", "1");
        return props;
    }

    private static void format(Path configFile, String clusterId) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(new String[] {"format", "--cluster-id", clusterId, "--config",
                    configFile.toString()}, out);
        } catch (RuntimeException e) {
            throw new UpException("Cannot format the Kafka log directory: " + e.getMessage(), e);
        }
        String text = output.toString(StandardCharsets.UTF_8).trim();
        LOG.info("Kafka storage format: {}", text);
        if (status != 0) {
            throw new UpException("Cannot format the Kafka log directory (exit " + status + "): " + text);
        }
    }

    /** {@code host:port} for Kafka clients. */
    String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
