package dev.lockstep.it.harness;

import dev.lockstep.cli.connect.ConnectorTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka Connect cluster for one test class: Kafka's {@link EmbeddedConnectCluster} with KRaft broker(s)
 * and distributed workers serving the REST API. Its {@code plugin.path} holds the unpacked Debezium Postgres source
 * and JDBC sink plugin tarballs and the plugin archive of this very build, discovered with
 * {@code plugin.discovery=service_load} as a production worker would.
 *
 * <p>Converters are {@link JsonConverter} with schemas, so records read back from topics show both schema and
 * payload. Register it with {@code @RegisterExtension static} after the {@link PostgresExtension}.
 */
public final class ConnectClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectClusterExtension.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Path pluginPath;

    private final int workers;
    private final Map<String, String> workerProps = new HashMap<>();
    private final java.util.Properties brokerProps = new java.util.Properties();
    private EmbeddedConnectCluster cluster;

    public ConnectClusterExtension() {
        this(1);
    }

    public ConnectClusterExtension(int workers) {
        this.workers = workers;
    }

    /** Adds or overrides a worker property (e.g. {@code exactly.once.source.support}). */
    public ConnectClusterExtension workerProperty(String key, String value) {
        workerProps.put(key, value);
        return this;
    }

    /**
     * Adds a broker property, e.g. {@code transaction.state.log.replication.factor=1}, which a single broker needs
     * before a worker with {@code exactly.once.source.support=enabled} can use transactions.
     */
    public ConnectClusterExtension brokerProperty(String key, String value) {
        brokerProps.setProperty(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        long started = System.nanoTime();
        Map<String, String> props = new HashMap<>();
        props.put(WorkerConfig.PLUGIN_PATH_CONFIG, pluginPath().toString());
        props.put(WorkerConfig.PLUGIN_DISCOVERY_CONFIG, "service_load");
        props.put(WorkerConfig.KEY_CONVERTER_CLASS_CONFIG, JsonConverter.class.getName());
        props.put(WorkerConfig.VALUE_CONVERTER_CLASS_CONFIG, JsonConverter.class.getName());
        props.put("key.converter.schemas.enable", "true");
        props.put("value.converter.schemas.enable", "true");
        props.put(WorkerConfig.OFFSET_COMMIT_INTERVAL_MS_CONFIG, "1000");
        props.putAll(workerProps);
        cluster = new EmbeddedConnectCluster.Builder()
                .name(context.getRequiredTestClass().getSimpleName())
                .numWorkers(workers)
                .workerProps(props)
                .brokerProps(brokerProps)
                .build();
        cluster.start();
        cluster.assertions().assertAtLeastNumWorkersAreUp(workers, "Connect workers did not start");
        LOG.info("Connect cluster for {} ready in {} ms: {} worker(s), REST at {}", context.getDisplayName(),
                (System.nanoTime() - started) / 1_000_000, workers, cluster.endpointForResource(""));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.stop();
        }
    }

    /**
     * The {@code plugin.path}: the Debezium plugin directory unpacked by the build, and a directory into which this
     * build's archive is unzipped once per JVM.
     */
    static synchronized Path pluginPath() throws IOException {
        if (pluginPath == null) {
            Path work = Paths.get(System.getProperty("lockstep.work.dir", "target/it-work"));
            Path ours = work.resolve("lockstep-plugin").toAbsolutePath();
            deleteRecursively(ours);
            PluginArchive.unpackTo(ours);
            String debezium = System.getProperty("lockstep.debezium.plugins");
            if (debezium == null || !Files.isDirectory(Paths.get(debezium))) {
                throw new IllegalStateException("Debezium plugins not unpacked at " + debezium
                        + ": run the integration tests through Maven (mvn verify) from the project root");
            }
            pluginPath = Paths.get(debezium + "," + ours);
        }
        return pluginPath;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    public EmbeddedConnectCluster cluster() {
        return cluster;
    }

    public String bootstrapServers() {
        return cluster.kafka().bootstrapServers();
    }

    /** Creates or updates a connector through the REST API ({@code PUT /connectors/{name}/config}). */
    public String deploy(ConnectorTemplate connector) {
        cluster.configureConnector(connector.name(), connector.config());
        return connector.name();
    }

    /** Waits until the connector and exactly {@code tasks} tasks are RUNNING. */
    public void awaitRunning(String connector, int tasks) throws InterruptedException {
        cluster.assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, tasks,
                "Connector " + connector + " did not reach RUNNING with " + tasks + " task(s): "
                        + statusOrNothing(connector));
    }

    private String statusOrNothing(String connector) {
        try {
            return rest("connectors/" + connector + "/status").toString();
        } catch (RuntimeException e) {
            return "no status (" + e.getMessage() + ")";
        }
    }

    /** GETs a REST resource (e.g. {@code connector-plugins?connectorsOnly=false}) of any worker, as JSON. */
    public JsonNode rest(String resource) {
        return get(URI.create(cluster.endpointForResource(resource)), resource);
    }

    /** The base REST URL of every worker, e.g. {@code http://localhost:38813/}. */
    public List<URI> workerUrls() {
        return cluster.workers().stream().map(WorkerHandle::url).sorted().toList();
    }

    /** GETs a REST resource of one worker, as JSON. */
    public JsonNode rest(URI worker, String resource) {
        return get(worker.resolve(resource), resource);
    }

    private static JsonNode get(URI uri, String resource) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("GET " + resource + " answered " + response.statusCode() + ": "
                        + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + resource, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + resource, e);
        }
    }

    /** A record read back from a topic: key and value as the JSON converter wrote them ({@code schema}+{@code payload}). */
    public record Message(String topic, int partition, long offset, JsonNode key, JsonNode value) {

        /** The value's payload, or null for a tombstone. */
        public JsonNode payload() {
            return value == null ? null : value.get("payload");
        }

        public JsonNode keyPayload() {
            return key == null ? null : key.get("payload");
        }
    }

    /**
     * Reads at least {@code count} records from the start of {@code topic}, failing once {@code bound} has passed
     * with fewer.
     */
    public List<Message> read(String topic, int count, Duration bound) {
        List<Message> messages = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : cluster.kafka().consume(count, bound.toMillis(), topic)) {
            messages.add(new Message(r.topic(), r.partition(), r.offset(), parse(r.key()), parse(r.value())));
        }
        messages.sort(Comparator.comparingInt(Message::partition).thenComparingLong(Message::offset));
        return messages;
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Record is not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }
}
