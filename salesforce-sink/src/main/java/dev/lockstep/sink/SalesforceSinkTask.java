package dev.lockstep.sink;

import dev.lockstep.common.Version;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** The task of {@link SalesforceSinkConnector}; like the connector, it refuses to run in this release. */
public class SalesforceSinkTask extends SinkTask {

    @Override
    public void start(Map<String, String> props) {
        throw new ConnectException(SalesforceSinkConnector.NOT_YET_AVAILABLE);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        throw new ConnectException(SalesforceSinkConnector.NOT_YET_AVAILABLE);
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
