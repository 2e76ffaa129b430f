package dev.lockstep.cli.up;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;

/**
 * A Kafka Connect distributed worker in this process, as {@code connect-distributed.sh} would run it: its
 * configuration, offsets and status in Kafka topics (so they survive a restart with the Kafka log), the REST API on
 * {@value Ports#HOST}, plugins found through {@code plugin.path} with {@code plugin.discovery=service_load}.
 */
final class ConnectWorker implements AutoCloseable {

    /** The worker group and the prefix of its internal topics. */
    static final String GROUP = "lockstep-up";

    private final Connect<DistributedHerder> connect;
    private final URI url;

    private ConnectWorker(Connect<DistributedHerder> connect, URI url) {
        this.connect = connect;
        this.url = url;
    }

    /**
     * Starts the worker; its REST API answers once this returns, and the worker joins its group in the background.
     *
     * @throws UpException when it cannot start
     */
    static ConnectWorker start(String bootstrapServers, int restPort, Path pluginPath) {
        Map<String, String> props = properties(bootstrapServers, restPort, pluginPath);
        Thread thread = Thread.currentThread();
        ClassLoader loader = thread.getContextClassLoader();
        // Connect exits the JVM when its start fails; here that must be an error the command reports instead.
        Exit.setExitProcedure((status, message) -> {
            throw new UpException("Kafka Connect did not start (status " + status + ")"
                    + (message == null ? "" : ": " + message));
        });
        // Connect would also stop itself from a shutdown hook of its own, concurrently with the command's hook, which
        // must stop it before Kafka; so it gets none.
        Exit.setShutdownHookAdder((name, hook) -> { });
        try {
            Connect<DistributedHerder> connect = new ConnectDistributed().startConnect(props);
            return new ConnectWorker(connect, URI.create("http://" + Ports.HOST + ":" + restPort));
        } catch (UpException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UpException("Kafka Connect did not start: " + e.getMessage(), e);
        } finally {
            Exit.resetExitProcedure();
            Exit.resetShutdownHookAdder();
            // Connect makes its plugin class loader the caller's context loader; the command's own work needs its own.
            thread.setContextClassLoader(loader);
        }
    }

    /**
     * The worker configuration: JSON with schemas (decimals as JSON numbers), single-replica single-partition internal
     * topics, offsets committed every second.
     */
    static Map<String, String> properties(String bootstrapServers, int restPort, Path pluginPath) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", GROUP);
        props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("key.converter.schemas.enable", "true");
        props.put("value.converter.schemas.enable", "true");
        props.put("value.converter.decimal.format", "NUMERIC");
        props.put("config.storage.topic", GROUP + "-configs");
        props.put("offset.storage.topic", GROUP + "-offsets");
        props.put("status.storage.topic", GROUP + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("offset.storage.partitions", "1");
        props.put("status.storage.partitions", "1");
        // Short, so that a restart after a crash replays little; committing locally is cheap.
        props.put("offset.flush.interval.ms", "1000");
        props.put("listeners", "http://" + Ports.HOST + ":" + restPort);
        props.put("rest.advertised.host.name", Ports.HOST);
        props.put("rest.advertised.port", Integer.toString(restPort));
        props.put("plugin.path", pluginPath.toString());
        props.put("plugin.discovery", "service_load");
        return props;
    }

    /** The REST API, e.g. {@code http://127.0.0.1:8083}. */
    URI url() {
        return url;
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
