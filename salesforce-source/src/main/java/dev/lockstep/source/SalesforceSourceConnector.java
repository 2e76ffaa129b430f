package dev.lockstep.source;

import dev.lockstep.common.Version;
import dev.lockstep.source.config.ConfigProblem;
import dev.lockstep.source.config.ConnectionCheck;
import dev.lockstep.source.config.SalesforceConnectionConfig;
import dev.lockstep.source.config.SalesforceSourceConnectorConfig;
import dev.lockstep.source.offsets.SourceOffsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
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
        List<List<String>> assigned = assignObjects(config.objects(), maxTasks);
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < assigned.size(); i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(SalesforceSourceTask.OBJECTS_CONFIG, String.join(",", assigned.get(i)));
            task.put(SalesforceSourceTask.TASK_ID_CONFIG, Integer.toString(i));
            configs.add(task);
        }
        return configs;
    }

    /**
     * The objects of each task: dealt round-robin in configured order over {@code min(maxTasks, objects)} tasks
     * (at least one), so one object belongs to one task. Each task snapshots its objects in {@link
     * dev.lockstep.source.task.LoadOrder}; objects of different tasks load in parallel, in no order.
     */
    public static List<List<String>> assignObjects(List<String> objects, int maxTasks) {
        int tasks = Math.max(1, Math.min(maxTasks, objects.size()));
        List<List<String>> assigned = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            assigned.add(new ArrayList<>());
        }
        for (int i = 0; i < objects.size(); i++) {
            assigned.get(i % tasks).add(objects.get(i));
        }
        return assigned.stream().map(List::copyOf).toList();
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

    /**
     * Checks each key, then the keys against each other, then — when the connection keys are sound — logs in to
     * the org and looks up the objects to sync, within {@link ConnectionCheck#DEFAULT_TIMEOUT}. Every failure is
     * attached to the key the operator should fix.
     */
    @Override
    public Config validate(Map<String, String> props) {
        return validate(props, ConnectionCheck.DEFAULT_TIMEOUT);
    }

    /** {@link #validate(Map)} with another time-out for the org's answers. */
    Config validate(Map<String, String> props, Duration loginTimeout) {
        Config config = super.validate(props);
        SalesforceConnectionConfig connection = null;
        if (noErrors(config, SalesforceConnectionConfig.keys())) {
            AbstractConfig parsed = new AbstractConfig(SalesforceConnectionConfig.configDef(), props, false);
            List<ConfigProblem> problems = SalesforceConnectionConfig.problems(parsed);
            ConfigProblem.attachTo(config, problems);
            if (problems.isEmpty()) {
                try {
                    connection = new SalesforceConnectionConfig(parsed);
                } catch (ConfigException e) {
                    ConfigProblem.attachTo(config, List.of(new ConfigProblem(
                            SalesforceConnectionConfig.JWT_PRIVATE_KEY_FILE_CONFIG, e.getMessage())));
                }
            }
        }
        if (noErrors(config, SalesforceSourceConnectorConfig.sourceKeys())) {
            ConfigProblem.attachTo(config, SalesforceSourceConnectorConfig.sourceProblems(props));
        }
        if (connection != null) {
            ConfigProblem.attachTo(config, ConnectionCheck.check(connection, objectsToCheck(config),
                    SalesforceSourceConnectorConfig.OBJECT_INCLUDE_LIST_CONFIG, loginTimeout));
        }
        return config;
    }

    private static boolean noErrors(Config config, Set<String> keys) {
        return keys.stream().noneMatch(key -> ConfigProblem.hasError(config, key));
    }

    /** The parsed object.include.list when it is valid, else none (the login is still checked). */
    private static List<String> objectsToCheck(Config config) {
        for (ConfigValue value : config.configValues()) {
            if (value.name().equals(SalesforceSourceConnectorConfig.OBJECT_INCLUDE_LIST_CONFIG)
                    && value.errorMessages().isEmpty() && value.value() instanceof List<?> objects) {
                return objects.stream().map(String::valueOf).toList();
            }
        }
        return List.of();
    }

    @Override
    public String version() {
        return Version.get();
    }
}
