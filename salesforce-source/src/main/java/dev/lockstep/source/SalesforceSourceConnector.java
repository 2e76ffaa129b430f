package dev.lockstep.source;

import dev.lockstep.common.Version;
import dev.lockstep.source.config.SalesforceSourceConnectorConfig;
import dev.lockstep.source.offsets.SourceOffsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Streams Salesforce changes into Kafka topics (ARCHITECTURE §3): a snapshot, then Change Data Capture events
 * (Pub/Sub API or CometD) or SystemModstamp polling, per object, with replayable offsets.
 *
 * <p>Objects are spread over up to {@code tasks.max} tasks; one object belongs to one task.
 */
public class SalesforceSourceConnector extends SourceConnector {

    private Map<String, String> props;
    private SalesforceSourceConnectorConfig config;

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        this.config = new SalesforceSourceConnectorConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SalesforceSourceTask.class;
    }

    /** Objects dealt round-robin in configured order over {@code min(maxTasks, objects)} tasks. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<String> objects = config.objects();
        int tasks = Math.max(1, Math.min(maxTasks, objects.size()));
        List<List<String>> assigned = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            assigned.add(new ArrayList<>());
        }
        for (int i = 0; i < objects.size(); i++) {
            assigned.get(i % tasks).add(objects.get(i));
        }
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(SalesforceSourceTask.OBJECTS_CONFIG, String.join(",", assigned.get(i)));
            task.put(SalesforceSourceTask.TASK_ID_CONFIG, Integer.toString(i));
            configs.add(task);
        }
        return configs;
    }

    @Override
    public void stop() {
        // The tasks hold every resource.
    }

    @Override
    public ConfigDef config() {
        return SalesforceSourceConnectorConfig.CONFIG_DEF;
    }

    /**
     * Offsets are committed with the records of each poll; a worker configured for exactly-once source delivery
     * commits both in one transaction, and a restarted task resumes from exactly the committed position.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        return ExactlyOnceSupport.SUPPORTED;
    }

    /**
     * Checks offsets an operator writes through {@code PATCH /connectors/<name>/offsets} (or resets with
     * {@code DELETE}): each partition must name an object of this connector, each offset must be one the task can
     * resume from. A null offset resets the object (it is snapshotted again, or starts at the newest event with
     * {@code snapshot.mode=never}).
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<Map<String, ?>, Map<String, ?>> offsets) {
        SalesforceSourceConnectorConfig parsed = new SalesforceSourceConnectorConfig(connectorConfig);
        for (Map.Entry<Map<String, ?>, Map<String, ?>> e : offsets.entrySet()) {
            try {
                String object = SourceOffsets.validatePartition(e.getKey());
                if (parsed.objects().stream().noneMatch(object::equals)) {
                    throw new SourceOffsets.InvalidOffsetException("object " + object
                            + " is not in object.include.list " + parsed.objects());
                }
                if (e.getValue() != null) {
                    SourceOffsets.Position.parse(e.getValue());
                }
            } catch (SourceOffsets.InvalidOffsetException ex) {
                throw new ConnectException("Invalid offset for partition " + e.getKey() + ": " + ex.getMessage());
            }
        }
        return true;
    }

    @Override
    public String version() {
        return Version.get();
    }
}
