package dev.lockstep.source;

import dev.lockstep.common.Version;
import dev.lockstep.source.task.TaskRuntime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * Reads the Salesforce objects the connector assigned to this task (property {@value #OBJECTS_CONFIG}) into Kafka.
 * Each object has its own reader thread (see {@link TaskRuntime}); {@link #poll} drains the records they queued.
 */
public class SalesforceSourceTask extends SourceTask {

    /** Task property: the objects of this task, comma-separated. */
    public static final String OBJECTS_CONFIG = "task.objects";
    /** Task property: the task's number, for thread and metric names. */
    public static final String TASK_ID_CONFIG = "task.id";

    private TaskRuntime runtime;

    @Override
    public void start(Map<String, String> props) {
        runtime = TaskRuntime.start(props, context);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        return runtime.poll();
    }

    @Override
    public void stop() {
        TaskRuntime r = runtime;
        if (r != null) {
            r.stop();
        }
    }

    @Override
    public String version() {
        return Version.get();
    }
}
