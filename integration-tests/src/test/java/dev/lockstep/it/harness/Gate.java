package dev.lockstep.it.harness;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * A test-only transform that lets a connector's records through a {@link Valve} the test controls, on the worker's
 * own thread: a closed valve holds the worker between two records, so a test can stop a connector when exactly
 * the records it allowed are on their way to Kafka (as Kafka's own {@code BlockingConnectorTest} blocks connectors).
 * It changes no record.
 *
 * <p>Configured as {@code transforms=gate}, {@code transforms.gate.type=dev.lockstep.it.harness.Gate},
 * {@code transforms.gate.name=<valve name>}. The worker loads it from the class path (the test JVM's), so it shares
 * the test's {@link #valve valves}; {@code META-INF/services} lists it for {@code plugin.discovery=service_load}.
 */
public final class Gate<R extends ConnectRecord<R>> implements Transformation<R> {

    public static final String NAME_CONFIG = "name";
    /** A valve never holds a record longer than this, so a test that fails cannot hang the worker for good. */
    private static final Duration MAX_HOLD = Duration.ofSeconds(90);
    private static final Map<String, Valve> VALVES = new ConcurrentHashMap<>();

    private Valve valve;

    /** The valve of that name, created open. */
    public static Valve valve(String name) {
        return VALVES.computeIfAbsent(name, n -> new Valve());
    }

    /** Opens every valve (after each test class, so a failed test leaves no worker held). */
    public static void openAll() {
        VALVES.values().forEach(Valve::open);
    }

    /** The settings that put a connector's records through the named valve. */
    public static Map<String, String> settings(String valveName) {
        return Map.of("transforms", "gate", "transforms.gate.type", Gate.class.getName(),
                "transforms.gate." + NAME_CONFIG, valveName);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object name = configs.get(NAME_CONFIG);
        if (name == null) {
            throw new org.apache.kafka.common.config.ConfigException(NAME_CONFIG + " is required");
        }
        valve = valve(name.toString());
    }

    @Override
    public R apply(R record) {
        valve.pass();
        return record;
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef().define(NAME_CONFIG, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH,
                "The valve the records pass.");
    }

    @Override
    public void close() {
        // The worker closes a task's transforms when the task has left its send loop; the valve outlives it.
        if (valve != null) {
            valve.closed();
        }
    }

    /**
     * How many records may pass. Thread contract: the worker's task thread calls {@link #pass}; the test thread
     * the rest.
     */
    public static final class Valve {
        private long allowed = Long.MAX_VALUE;
        private long passed;
        private boolean holding;
        private long paceNanos;
        private long lastPass;
        private int closes;

        /** Lets {@code more} records pass beyond those that passed already, then holds the next one. */
        public synchronized void allow(long more) {
            allowed = passed + more;
            notifyAll();
        }

        /** Lets every record pass. */
        public synchronized void open() {
            allowed = Long.MAX_VALUE;
            paceNanos = 0;
            notifyAll();
        }

        /**
         * Lets every record pass, one per {@code interval} at most: a slow downstream, so that a worker asked to
         * stop finishes the batch it holds without racing through the rest of a snapshot first.
         */
        public synchronized void trickle(Duration interval) {
            allowed = Long.MAX_VALUE;
            paceNanos = interval.toNanos();
            notifyAll();
        }

        /** How many times a task using the valve was closed. */
        public synchronized int closes() {
            return closes;
        }

        synchronized void closed() {
            closes++;
        }

        /** Records that passed so far. */
        public synchronized long passed() {
            return passed;
        }

        /** Whether the worker waits at the valve now. */
        public synchronized boolean holding() {
            return holding;
        }

        synchronized void pass() {
            long deadline = System.nanoTime() + MAX_HOLD.toNanos();
            holding = true;
            try {
                while (passed >= allowed || paceNanos > 0 && System.nanoTime() - lastPass < paceNanos) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    long until = passed >= allowed ? left : paceNanos - (System.nanoTime() - lastPass);
                    wait(Math.max(1, Math.min(left, until) / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                holding = false;
            }
            passed++;
            lastPass = System.nanoTime();
        }
    }
}
