package dev.lockstep.source;

import dev.lockstep.common.Version;
import dev.lockstep.source.config.SalesforceSourceConnectorConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
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

    @Override
    public String version() {
        return Version.get();
    }
}
