package dev.lockstep.source;

import dev.lockstep.common.Version;
import dev.lockstep.source.config.ConfigProblem;
import dev.lockstep.source.config.ConnectionCheck;
import dev.lockstep.source.config.SalesforceConnectionConfig;
import dev.lockstep.source.config.SalesforceSourceConnectorConfig;
import java.time.Duration;
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
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Streams Salesforce changes into Kafka topics (ARCHITECTURE §3).
 *
 * <p>This release ships the connector's packaging and configuration only: the Salesforce client it reads through
 * is not built yet, so {@link #start} refuses to run rather than pretend to sync. The worker then shows the
 * connector as FAILED with that message.
 */
public class SalesforceSourceConnector extends SourceConnector {

    static final String NOT_YET_AVAILABLE = "The Salesforce source connector cannot stream yet in Lockstep "
            + Version.get() + ": this release ships its packaging only. See CHANGELOG.md for what each release "
            + "can sync.";

    @Override
    public void start(Map<String, String> props) {
        new SalesforceSourceConnectorConfig(props);
        throw new ConnectException(NOT_YET_AVAILABLE);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SalesforceSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        throw new ConnectException(NOT_YET_AVAILABLE);
    }

    @Override
    public void stop() {
        // Nothing was started.
    }

    @Override
    public ConfigDef config() {
        return SalesforceSourceConnectorConfig.CONFIG_DEF;
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
