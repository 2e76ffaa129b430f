package dev.lockstep.source.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.source.config.SalesforceSourceConnectorConfig;
import dev.lockstep.source.offsets.SourceOffsets;
import dev.lockstep.source.offsets.SourceOffsets.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running part of one source task: the Salesforce client, one {@link ObjectReader} thread per object, and the
 * {@link RecordQueue} {@code poll()} drains.
 *
 * <p>Start-up (login, describes, stored offsets) runs on a start thread, so a Salesforce outage at start is retried
 * like any other instead of failing the task; {@code poll()} returns no records meanwhile.
 *
 * <p>Thread contract: {@link #poll} on the task thread; {@link #stop} from any thread, once.
 */
public final class TaskRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRuntime.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final SalesforceSourceConnectorConfig config;
    private final List<String> objects;
    private final String connectorName;
    private final String taskId;
    private final SourceTaskContext context;
    private final RecordQueue queue;
    private final SalesforceClient client;
    private final List<ObjectReader> readers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private Thread starter;

    private TaskRuntime(Map<String, String> props, SourceTaskContext context) {
        this.config = new SalesforceSourceConnectorConfig(props);
        String assigned = props.get(dev.lockstep.source.SalesforceSourceTask.OBJECTS_CONFIG);
        this.objects = assigned == null ? config.objects()
                : Arrays.stream(assigned.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.connectorName = config.topicPrefix();
        this.taskId = props.getOrDefault(dev.lockstep.source.SalesforceSourceTask.TASK_ID_CONFIG, "0");
        this.context = context;
        this.queue = new RecordQueue(config.maxQueueSize(), config.maxBatchSize());
        this.client = SalesforceClient.create(config.connection().clientConfig());
    }

    /** Starts the task's threads; returns at once. */
    public static TaskRuntime start(Map<String, String> props, SourceTaskContext context) {
        TaskRuntime runtime = new TaskRuntime(props, context);
        runtime.starter = new Thread(runtime::startReaders, threadName(props, "start"));
        runtime.starter.setDaemon(true);
        runtime.starter.start();
        return runtime;
    }

    private static String threadName(Map<String, String> props, String what) {
        return "lockstep-source-" + props.getOrDefault("name", "connector") + "-"
                + props.getOrDefault(dev.lockstep.source.SalesforceSourceTask.TASK_ID_CONFIG, "0") + "-" + what;
    }

    private void startReaders() {
        try {
            String orgId = untilDone("log in to Salesforce", () -> client.session().token().orgId());
            Map<String, JsonNode> describes = new LinkedHashMap<>();
            for (String object : objects) {
                describes.put(object, untilDone("describe " + object, () -> client.rest().describe(object)));
            }
            SnapshotOrder order = SnapshotOrder.of(describes,
                    (object, field) -> config.fieldFilter(object).includes(field));
            List<Map<String, Object>> partitions = objects.stream()
                    .map(o -> SourceOffsets.partition(orgId, o)).toList();
            Map<Map<String, Object>, Map<String, Object>> offsets = context.offsetStorageReader().offsets(partitions);
            PluginMetrics pluginMetrics = pluginMetrics();
            ObjectReader.Shared shared = new ObjectReader.Shared(config, connectorName, orgId, queue, order,
                    pluginMetrics);
            Map<String, Position> stored = new HashMap<>();
            for (Map<String, Object> partition : partitions) {
                Map<String, Object> offset = offsets == null ? null : offsets.get(partition);
                String object = (String) partition.get(SourceOffsets.PARTITION_OBJECT);
                if (offset != null) {
                    try {
                        stored.put(object, Position.parse(offset));
                    } catch (SourceOffsets.InvalidOffsetException e) {
                        throw new ConnectException("The stored offset of " + object + " cannot be resumed: "
                                + e.getMessage() + ". Fix or delete it through the Connect REST API "
                                + "(PATCH or DELETE /connectors/<name>/offsets while the connector is stopped).");
                    }
                }
            }
            synchronized (this) {
                if (stopping.getCount() == 0) {
                    return;
                }
                for (String object : order.order()) {
                    ObjectReader reader = new ObjectReader(shared, object, client.withOwnMetrics(),
                            describes.get(object), stored.get(object));
                    Thread t = new Thread(reader, "lockstep-source-" + connectorName + "-" + taskId + "-" + object);
                    t.setDaemon(true);
                    readers.add(reader);
                    threads.add(t);
                }
                LOG.info("Task {} reads {} (snapshot order {}) from org {}", taskId, objects, order.order(), orgId);
                threads.forEach(Thread::start);
            }
        } catch (Stopping e) {
            // stop() came first.
        } catch (RuntimeException e) {
            LOG.error("Task {} could not start: {}", taskId, e.getMessage(), e);
            queue.fail(e instanceof ConnectException ? e : new ConnectException(e.getMessage(), e));
        } catch (Error e) {
            queue.fail(new ConnectException("Task " + taskId + " could not start: " + e, e));
            throw e;
        }
    }

    private PluginMetrics pluginMetrics() {
        try {
            return context.pluginMetrics();
        } catch (UnsupportedOperationException | AbstractMethodError e) {
            return null; // a worker older than plugin metrics
        }
    }

    /** Start-up calls retry until they succeed or the task stops; only FATAL failures fail the task. */
    private <T> T untilDone(String what, java.util.function.Supplier<T> call) {
        long wait = config.connection().retryPolicy().base().toMillis();
        while (true) {
            try {
                return call.get();
            } catch (SalesforceException e) {
                if (!e.isRetriable() && e.category() != dev.lockstep.salesforce.client.ErrorCategory.LIMIT) {
                    throw new ConnectException("Task " + taskId + " cannot " + what + ": " + e.getMessage(), e);
                }
                LOG.warn("Task {}: {} failed ({}); retrying in {} ms", taskId, what, e.getMessage(), wait);
            }
            try {
                if (stopping.await(wait, TimeUnit.MILLISECONDS)) {
                    throw new Stopping();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopping();
            }
            wait = Math.min(config.connection().retryPolicy().cap().toMillis(), wait * 2);
        }
    }

    private static final class Stopping extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopping() {
            super(null, null, false, false);
        }
    }

    public List<SourceRecord> poll() throws InterruptedException {
        return queue.drain(config.pollTimeout());
    }

    public void stop() {
        synchronized (this) {
            stopping.countDown();
        }
        queue.close();
        readers.forEach(ObjectReader::stop);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        List<Thread> all = new ArrayList<>(threads);
        if (starter != null) {
            all.add(starter);
        }
        for (Thread t : all) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                LOG.warn("{} did not stop within {}; interrupting it", t.getName(), STOP_TIMEOUT);
                t.interrupt();
            }
        }
        readers.forEach(r -> r.metrics().unregister());
        client.close();
    }

    /** The readers' metrics by object, for tests and the benchmark. */
    public Map<String, ObjectMetrics> metrics() {
        Map<String, ObjectMetrics> m = new LinkedHashMap<>();
        readers.forEach(r -> m.put(r.object(), r.metrics()));
        return m;
    }
}
