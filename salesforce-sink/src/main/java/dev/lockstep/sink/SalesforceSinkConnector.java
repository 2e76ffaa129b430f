package dev.lockstep.sink;

import dev.lockstep.common.Version;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Writes Postgres changes to Salesforce (ARCHITECTURE §4, PG → SF).
 *
 * <p>This release ships the connector's packaging only: the Salesforce client it writes through is not built yet,
 * so {@link #start} refuses to run rather than pretend to sync. The worker then shows the connector as FAILED with
 * that message.
 */
public class SalesforceSinkConnector extends SinkConnector {

    static final String NOT_YET_AVAILABLE = "The Salesforce sink connector cannot write yet in Lockstep "
            + Version.get() + ": this release ships its packaging only. See CHANGELOG.md for what each release "
            + "can sync.";

    private static final ConfigDef CONFIG_DEF = new ConfigDef();

    @Override
    public void start(Map<String, String> props) {
        throw new ConnectException(NOT_YET_AVAILABLE);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SalesforceSinkTask.class;
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
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.get();
    }
}
