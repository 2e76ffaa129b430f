package dev.lockstep.source;

import dev.lockstep.common.Version;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** The task of {@link SalesforceSourceConnector}; like the connector, it refuses to run in this release. */
public class SalesforceSourceTask extends SourceTask {

    @Override
    public void start(Map<String, String> props) {
        throw new ConnectException(SalesforceSourceConnector.NOT_YET_AVAILABLE);
    }

    @Override
    public List<SourceRecord> poll() {
        throw new ConnectException(SalesforceSourceConnector.NOT_YET_AVAILABLE);
    }

    @Override
    public void stop() {
        // Nothing was started.
    }

    @Override
    public String version() {
        return Version.get();
    }
}
