package dev.lockstep.source.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of the Salesforce source connector, parsed once into typed fields: the
 * {@link SalesforceConnectionConfig Salesforce connection} group (shared with the sink, by composition), then the
 * objects, change events, snapshot and performance groups. {@link #CONFIG_DEF} checks each key; the constructor
 * also checks the keys against each other ({@link #sourceProblems}, {@link SalesforceConnectionConfig#problems})
 * and throws a {@link ConfigException} naming the key to fix.
 */
public final class SalesforceSourceConnectorConfig extends AbstractConfig {

    public static final String GROUP_OBJECTS = "Objects";
    public static final String GROUP_CHANGE_EVENTS = "Change events";
    public static final String GROUP_SNAPSHOT = "Snapshot";
    public static final String GROUP_PERFORMANCE = "Performance";

    // Objects

    public static final String OBJECT_INCLUDE_LIST_CONFIG = "object.include.list";
    public static final String OBJECT_INCLUDE_LIST_DOC = "Required. The API names of the Salesforce objects to "
            + "sync, comma-separated, e.g. Account,Contact,Invoice__c. Each object's changes go to the topic "
            + "'<topic.prefix>.<ObjectApiName>'. Objects are spread over up to tasks.max tasks; each object is read by one task.";

    public static final String FIELD_INCLUDE_LIST_CONFIG = "field.include.list";
    public static final String FIELD_INCLUDE_LIST_DOC = "Fields to map, as Object.Field (case-insensitive), e.g. "
            + "Account.Name,Account.Industry. An object with entries here maps only those fields; an object "
            + "without maps every field but its base64 (blob) fields. A blob field, e.g. Attachment.Body, is synced "
            + "(as BYTES) only when named here, because it costs one REST call per record whose blob is not null, "
            + "plus, in a Bulk API snapshot, one SOQL query per reread.batch.size records. Id is always mapped. "
            + "Every object named must be in object.include.list.";

    public static final String FIELD_EXCLUDE_LIST_CONFIG = "field.exclude.list";
    public static final String FIELD_EXCLUDE_LIST_DOC = "Fields not to map, as Object.Field (case-insensitive), "
            + "or Object.* for every field but Id, e.g. Contact.Birthdate. Applied after field.include.list; Id "
            + "cannot be excluded. Every object named must be in object.include.list.";

    public static final String OBJECT_POLL_LIST_CONFIG = "object.poll.list";
    public static final String OBJECT_POLL_LIST_DOC = "Objects of object.include.list read by polling "
            + "(SystemModstamp cursor with queryAll) instead of Change Data Capture, for objects that have no "
            + "change events.";

    public static final String POLL_INTERVAL_MS_CONFIG = "poll.interval.ms";
    public static final long POLL_INTERVAL_MS_DEFAULT = 60_000L;
    public static final String POLL_INTERVAL_MS_DOC = "How often each polled object (object.poll.list) is queried "
            + "for changes, in milliseconds.";

    public static final String TOPIC_PREFIX_CONFIG = "topic.prefix";
    public static final String TOPIC_PREFIX_DEFAULT = "lockstep";
    public static final String TOPIC_PREFIX_DOC =
            "Prefix of the topic each Salesforce object's changes go to: '<prefix>.<ObjectApiName>'.";

    // Change events

    public static final String STREAMING_TRANSPORT_CONFIG = "streaming.transport";
    public static final String STREAMING_TRANSPORT_DEFAULT = StreamingTransport.PUBSUB.value();
    public static final String STREAMING_TRANSPORT_DOC = "The API change events are read with: 'pubsub', the "
            + "Pub/Sub API over gRPC (salesforce.pubsub.endpoint), or 'cometd', the Streaming API over HTTPS, for "
            + "networks where gRPC cannot pass. Both deliver the same change events.";

    public static final String UPDATE_MODE_CONFIG = "update.mode";
    public static final String UPDATE_MODE_DEFAULT = UpdateMode.PARTIAL.value();
    public static final String UPDATE_MODE_DOC = "What an update becomes. 'partial': the change event as "
            + "Salesforce sends it, with only the changed fields set and source.complete=false (no API calls; "
            + "use the NarrowPartialUpdate transform before a JDBC sink); only changes to values events never carry "
            + "are re-read: creates and undeletes when formula fields or a compound name (a Contact's or Lead's "
            + "Name) are mapped, and updates of that name's parts. 'full': the record re-read by SOQL, "
            + "every mapped field set (also formula fields) and source.complete=true, at one API call per up to "
            + "reread.batch.size changed records.";

    public static final String DELETE_HANDLING_MODE_CONFIG = "delete.handling.mode";
    public static final String DELETE_HANDLING_MODE_DEFAULT = DeleteHandling.TOMBSTONE.value();
    public static final String DELETE_HANDLING_MODE_DOC = "What a deleted record becomes. 'tombstone': a delete "
            + "event (op=d), then a tombstone (same key, null value) so that compacted topics forget the record. "
            + "'delete': the delete event only.";

    public static final String REPLAY_EXPIRED_POLICY_CONFIG = "replay.expired.policy";
    public static final String REPLAY_EXPIRED_POLICY_DEFAULT = ReplayExpiredPolicy.RESNAPSHOT.value();
    public static final String REPLAY_EXPIRED_POLICY_DOC = "What to do when the stored replay position is older "
            + "than Salesforce's event retention (72 hours), e.g. after a long stop. 'resnapshot': snapshot the "
            + "object again, finding the records deleted meanwhile. 'latest': stream from the newest event, losing "
            + "the changes in between. 'fail': stop the task with an error.";

    public static final String DECIMAL_HANDLING_MODE_CONFIG = "decimal.handling.mode";
    public static final String DECIMAL_HANDLING_MODE_DEFAULT = DecimalHandling.PRECISE.value();
    public static final String DECIMAL_HANDLING_MODE_DOC = "How currency, percent and decimal numbers are "
            + "written. 'precise': Connect Decimal with the field's scale, exact. 'double': FLOAT64, easier for "
            + "consumers but may round.";

    public static final String MULTIPICKLIST_HANDLING_MODE_CONFIG = "multipicklist.handling.mode";
    public static final String MULTIPICKLIST_HANDLING_MODE_DEFAULT = MultipicklistHandling.STRING.value();
    public static final String MULTIPICKLIST_HANDLING_MODE_DOC = "How multi-select picklist values are written. "
            + "'string': one string, values joined with ';' as Salesforce does. 'array': an array of strings.";

    // Snapshot

    public static final String SNAPSHOT_MODE_CONFIG = "snapshot.mode";
    public static final String SNAPSHOT_MODE_DEFAULT = SnapshotMode.INITIAL.value();
    public static final String SNAPSHOT_MODE_DOC = "When an object's existing records are read before its "
            + "changes are streamed. 'initial': when the connector has no stored position for the object. 'never': "
            + "never, only changes from now on. 'when_needed': like initial, and also re-snapshots when a stored "
            + "replay position can no longer be resumed, whatever replay.expired.policy says.";

    public static final String SNAPSHOT_BULK_THRESHOLD_CONFIG = "snapshot.bulk.threshold";
    public static final long SNAPSHOT_BULK_THRESHOLD_DEFAULT = 10_000L;
    public static final String SNAPSHOT_BULK_THRESHOLD_DOC = "Objects with more records than this are snapshotted "
            + "with a Bulk API 2.0 query job, smaller ones with REST queries.";

    public static final String SNAPSHOT_PROGRESS_INTERVAL_MS_CONFIG = "snapshot.progress.interval.ms";
    public static final long SNAPSHOT_PROGRESS_INTERVAL_MS_DEFAULT = 30_000L;
    public static final String SNAPSHOT_PROGRESS_INTERVAL_MS_DOC = "How often a running snapshot logs its "
            + "progress, in milliseconds.";

    public static final String RESYNC_MARGIN_MS_CONFIG = "resync.margin.ms";
    public static final long RESYNC_MARGIN_MS_DEFAULT = 60_000L;
    public static final String RESYNC_MARGIN_MS_DOC = "How far before an overflow event's commit time (or a "
            + "snapshot's start) a re-sync starts reading, in milliseconds, to cover clock skew.";

    // Performance

    public static final String MAX_BATCH_SIZE_CONFIG = "max.batch.size";
    public static final int MAX_BATCH_SIZE_DEFAULT = 2048;
    public static final String MAX_BATCH_SIZE_DOC = "At most this many records are returned by one poll of a "
            + "task.";

    public static final String MAX_QUEUE_SIZE_CONFIG = "max.queue.size";
    public static final int MAX_QUEUE_SIZE_DEFAULT = 8192;
    public static final String MAX_QUEUE_SIZE_DOC = "How many records a task buffers between its reader threads "
            + "and poll; readers ask Salesforce for more events only while there is room. Must be larger than "
            + "max.batch.size.";

    public static final String POLL_TIMEOUT_MS_CONFIG = "poll.timeout.ms";
    public static final long POLL_TIMEOUT_MS_DEFAULT = 1000L;
    public static final String POLL_TIMEOUT_MS_DOC = "How long a task's poll waits for records before it returns "
            + "none, in milliseconds.";

    public static final String REREAD_BATCH_SIZE_CONFIG = "reread.batch.size";
    public static final int REREAD_BATCH_SIZE_DEFAULT = 200;
    public static final String REREAD_BATCH_SIZE_DOC = "How many records one SOQL re-read (WHERE Id IN (...)) asks "
            + "for, in update.mode full and after gap events: 1 to 200.";
    public static final String REREAD_MAX_WAIT_MS_CONFIG = "reread.max.wait.ms";
    public static final long REREAD_MAX_WAIT_MS_DEFAULT = 200;
    public static final String REREAD_MAX_WAIT_MS_DOC = "In update.mode full, how long the reader lets change events "
            + "gather before re-reading the records they touch, unless reread.batch.size records are waiting "
            + "already. Longer waits mean fewer SOQL calls per change at a steady trickle of changes (each call "
            + "counts against the org's daily API allowance), shorter ones lower latency; 0 re-reads what has "
            + "arrived at once.";

    /** The source's own keys, without the connection group. */
    private static final ConfigDef SOURCE_KEYS = defineSourceKeys(new ConfigDef());

    /** Every key of the connector: the connection group, then the source's own. */
    public static final ConfigDef CONFIG_DEF = defineSourceKeys(SalesforceConnectionConfig.configDef());

    private final SalesforceConnectionConfig connection;
    private final String topicPrefix;
    private final List<String> objects;
    private final Set<String> pollObjects;
    private final Set<String> pollObjectsLowerCase;
    private final Duration pollInterval;
    private final Map<String, FieldFilter> fieldFilters;
    private final StreamingTransport transport;
    private final UpdateMode updateMode;
    private final DeleteHandling deleteHandling;
    private final ReplayExpiredPolicy replayExpiredPolicy;
    private final DecimalHandling decimalHandling;
    private final MultipicklistHandling multipicklistHandling;
    private final SnapshotMode snapshotMode;
    private final long snapshotBulkThreshold;
    private final Duration snapshotProgressInterval;
    private final Duration resyncMargin;
    private final int maxBatchSize;
    private final int maxQueueSize;
    private final Duration pollTimeout;
    private final int rereadBatchSize;
    private final Duration rereadMaxWait;

    /**
     * Parses and checks {@code originals}.
     *
     * @throws ConfigException for a key its validator rejects, or naming every key to fix when keys contradict
     *     each other or the login flow misses one
     */
    public SalesforceSourceConnectorConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        List<ConfigProblem> problems = new ArrayList<>(SalesforceConnectionConfig.problems(this));
        problems.addAll(sourceProblems(this));
        if (!problems.isEmpty()) {
            throw new ConfigException("Invalid Salesforce source connector configuration: " + problems.stream()
                    .map(ConfigProblem::message).collect(Collectors.joining("; ")));
        }
        this.connection = new SalesforceConnectionConfig(this);
        this.topicPrefix = getString(TOPIC_PREFIX_CONFIG);
        this.objects = trimmed(getList(OBJECT_INCLUDE_LIST_CONFIG));
        this.pollObjects = Collections.unmodifiableSet(new LinkedHashSet<>(trimmed(getList(OBJECT_POLL_LIST_CONFIG))));
        this.pollObjectsLowerCase = Set.copyOf(lowerCase(pollObjects));
        this.pollInterval = Duration.ofMillis(getLong(POLL_INTERVAL_MS_CONFIG));
        this.fieldFilters = fieldFilters(objects, getList(FIELD_INCLUDE_LIST_CONFIG),
                getList(FIELD_EXCLUDE_LIST_CONFIG));
        this.transport = StreamingTransport.parse(getString(STREAMING_TRANSPORT_CONFIG));
        this.updateMode = UpdateMode.parse(getString(UPDATE_MODE_CONFIG));
        this.deleteHandling = DeleteHandling.parse(getString(DELETE_HANDLING_MODE_CONFIG));
        this.replayExpiredPolicy = ReplayExpiredPolicy.parse(getString(REPLAY_EXPIRED_POLICY_CONFIG));
        this.decimalHandling = DecimalHandling.parse(getString(DECIMAL_HANDLING_MODE_CONFIG));
        this.multipicklistHandling = MultipicklistHandling.parse(getString(MULTIPICKLIST_HANDLING_MODE_CONFIG));
        this.snapshotMode = SnapshotMode.parse(getString(SNAPSHOT_MODE_CONFIG));
        this.snapshotBulkThreshold = getLong(SNAPSHOT_BULK_THRESHOLD_CONFIG);
        this.snapshotProgressInterval = Duration.ofMillis(getLong(SNAPSHOT_PROGRESS_INTERVAL_MS_CONFIG));
        this.resyncMargin = Duration.ofMillis(getLong(RESYNC_MARGIN_MS_CONFIG));
        this.maxBatchSize = getInt(MAX_BATCH_SIZE_CONFIG);
        this.maxQueueSize = getInt(MAX_QUEUE_SIZE_CONFIG);
        this.pollTimeout = Duration.ofMillis(getLong(POLL_TIMEOUT_MS_CONFIG));
        this.rereadBatchSize = getInt(REREAD_BATCH_SIZE_CONFIG);
        this.rereadMaxWait = Duration.ofMillis(getLong(REREAD_MAX_WAIT_MS_CONFIG));
    }

    private static ConfigDef defineSourceKeys(ConfigDef def) {
        int objects = 0;
        def.define(OBJECT_INCLUDE_LIST_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, Validators.objectNames(),
                        Importance.HIGH, OBJECT_INCLUDE_LIST_DOC, GROUP_OBJECTS, ++objects, Width.LONG, "Objects")
                .define(FIELD_INCLUDE_LIST_CONFIG, Type.LIST, List.of(), Validators.fieldNames(false),
                        Importance.MEDIUM, FIELD_INCLUDE_LIST_DOC, GROUP_OBJECTS, ++objects, Width.LONG,
                        "Fields to include")
                .define(FIELD_EXCLUDE_LIST_CONFIG, Type.LIST, List.of(), Validators.fieldNames(true),
                        Importance.MEDIUM, FIELD_EXCLUDE_LIST_DOC, GROUP_OBJECTS, ++objects, Width.LONG,
                        "Fields to exclude")
                .define(OBJECT_POLL_LIST_CONFIG, Type.LIST, List.of(), Validators.optionalObjectNames(),
                        Importance.MEDIUM, OBJECT_POLL_LIST_DOC, GROUP_OBJECTS, ++objects, Width.LONG,
                        "Objects read by polling")
                .define(POLL_INTERVAL_MS_CONFIG, Type.LONG, POLL_INTERVAL_MS_DEFAULT, Range.atLeast(1000L),
                        Importance.LOW, POLL_INTERVAL_MS_DOC, GROUP_OBJECTS, ++objects, Width.SHORT,
                        "Polling interval (ms)")
                .define(TOPIC_PREFIX_CONFIG, Type.STRING, TOPIC_PREFIX_DEFAULT,
                        new ConfigDef.NonEmptyStringWithoutControlChars(), Importance.HIGH, TOPIC_PREFIX_DOC,
                        GROUP_OBJECTS, ++objects, Width.MEDIUM, "Topic prefix");
        int events = 0;
        def.define(STREAMING_TRANSPORT_CONFIG, Type.STRING, STREAMING_TRANSPORT_DEFAULT,
                        EnumValidator.of(StreamingTransport.class), Importance.MEDIUM, STREAMING_TRANSPORT_DOC,
                        GROUP_CHANGE_EVENTS, ++events, Width.SHORT, "Streaming transport")
                .define(UPDATE_MODE_CONFIG, Type.STRING, UPDATE_MODE_DEFAULT, EnumValidator.of(UpdateMode.class),
                        Importance.HIGH, UPDATE_MODE_DOC, GROUP_CHANGE_EVENTS, ++events, Width.SHORT, "Update mode")
                .define(DELETE_HANDLING_MODE_CONFIG, Type.STRING, DELETE_HANDLING_MODE_DEFAULT,
                        EnumValidator.of(DeleteHandling.class), Importance.MEDIUM, DELETE_HANDLING_MODE_DOC,
                        GROUP_CHANGE_EVENTS, ++events, Width.SHORT, "Delete handling")
                .define(REPLAY_EXPIRED_POLICY_CONFIG, Type.STRING, REPLAY_EXPIRED_POLICY_DEFAULT,
                        EnumValidator.of(ReplayExpiredPolicy.class), Importance.MEDIUM, REPLAY_EXPIRED_POLICY_DOC,
                        GROUP_CHANGE_EVENTS, ++events, Width.SHORT, "Expired replay position")
                .define(DECIMAL_HANDLING_MODE_CONFIG, Type.STRING, DECIMAL_HANDLING_MODE_DEFAULT,
                        EnumValidator.of(DecimalHandling.class), Importance.MEDIUM, DECIMAL_HANDLING_MODE_DOC,
                        GROUP_CHANGE_EVENTS, ++events, Width.SHORT, "Decimal handling")
                .define(MULTIPICKLIST_HANDLING_MODE_CONFIG, Type.STRING, MULTIPICKLIST_HANDLING_MODE_DEFAULT,
                        EnumValidator.of(MultipicklistHandling.class), Importance.LOW,
                        MULTIPICKLIST_HANDLING_MODE_DOC, GROUP_CHANGE_EVENTS, ++events, Width.SHORT,
                        "Multi-select picklist handling");
        int snapshot = 0;
        def.define(SNAPSHOT_MODE_CONFIG, Type.STRING, SNAPSHOT_MODE_DEFAULT, EnumValidator.of(SnapshotMode.class),
                        Importance.HIGH, SNAPSHOT_MODE_DOC, GROUP_SNAPSHOT, ++snapshot, Width.SHORT, "Snapshot mode")
                .define(SNAPSHOT_BULK_THRESHOLD_CONFIG, Type.LONG, SNAPSHOT_BULK_THRESHOLD_DEFAULT, Range.atLeast(0L),
                        Importance.LOW, SNAPSHOT_BULK_THRESHOLD_DOC, GROUP_SNAPSHOT, ++snapshot, Width.SHORT,
                        "Bulk API threshold (records)")
                .define(SNAPSHOT_PROGRESS_INTERVAL_MS_CONFIG, Type.LONG, SNAPSHOT_PROGRESS_INTERVAL_MS_DEFAULT,
                        Range.atLeast(1000L), Importance.LOW, SNAPSHOT_PROGRESS_INTERVAL_MS_DOC, GROUP_SNAPSHOT,
                        ++snapshot, Width.SHORT, "Progress log interval (ms)")
                .define(RESYNC_MARGIN_MS_CONFIG, Type.LONG, RESYNC_MARGIN_MS_DEFAULT, Range.atLeast(0L),
                        Importance.LOW, RESYNC_MARGIN_MS_DOC, GROUP_SNAPSHOT, ++snapshot, Width.SHORT,
                        "Re-sync margin (ms)");
        int performance = 0;
        def.define(MAX_BATCH_SIZE_CONFIG, Type.INT, MAX_BATCH_SIZE_DEFAULT, Range.atLeast(1), Importance.LOW,
                        MAX_BATCH_SIZE_DOC, GROUP_PERFORMANCE, ++performance, Width.SHORT, "Batch size")
                .define(MAX_QUEUE_SIZE_CONFIG, Type.INT, MAX_QUEUE_SIZE_DEFAULT, Range.atLeast(2), Importance.LOW,
                        MAX_QUEUE_SIZE_DOC, GROUP_PERFORMANCE, ++performance, Width.SHORT, "Queue size")
                .define(POLL_TIMEOUT_MS_CONFIG, Type.LONG, POLL_TIMEOUT_MS_DEFAULT, Range.atLeast(1L),
                        Importance.LOW, POLL_TIMEOUT_MS_DOC, GROUP_PERFORMANCE, ++performance, Width.SHORT,
                        "Poll time-out (ms)")
                .define(REREAD_BATCH_SIZE_CONFIG, Type.INT, REREAD_BATCH_SIZE_DEFAULT, Range.between(1, 200),
                        Importance.LOW, REREAD_BATCH_SIZE_DOC, GROUP_PERFORMANCE, ++performance, Width.SHORT,
                        "Re-read batch size")
                .define(REREAD_MAX_WAIT_MS_CONFIG, Type.LONG, REREAD_MAX_WAIT_MS_DEFAULT, Range.between(0L, 60_000L),
                        Importance.LOW, REREAD_MAX_WAIT_MS_DOC, GROUP_PERFORMANCE, ++performance, Width.SHORT,
                        "Re-read max wait (ms)");
        return def;
    }

    /** The names of the source's own keys (every key of {@link #CONFIG_DEF} but the connection group). */
    public static Set<String> sourceKeys() {
        return SOURCE_KEYS.names();
    }

    /**
     * What is wrong across the source's own keys of {@code props}, which must pass those keys' validators: field
     * lists naming objects not synced, contradicting field entries, polled objects not synced, a queue not larger
     * than a batch.
     */
    public static List<ConfigProblem> sourceProblems(Map<?, ?> props) {
        return sourceProblems(new AbstractConfig(SOURCE_KEYS, props, false));
    }

    private static List<ConfigProblem> sourceProblems(AbstractConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        Set<String> objects = lowerCase(trimmed(config.getList(OBJECT_INCLUDE_LIST_CONFIG)));
        for (String key : List.of(FIELD_INCLUDE_LIST_CONFIG, FIELD_EXCLUDE_LIST_CONFIG)) {
            Set<String> unknown = new LinkedHashSet<>();
            for (String entry : trimmed(config.getList(key))) {
                String object = objectOf(entry);
                if (!objects.contains(object.toLowerCase(Locale.ROOT))) {
                    unknown.add(object);
                }
            }
            if (!unknown.isEmpty()) {
                problems.add(new ConfigProblem(key, key + " names fields of " + String.join(", ", unknown)
                        + ", not in " + OBJECT_INCLUDE_LIST_CONFIG + ": add the object"
                        + (unknown.size() == 1 ? "" : "s") + " there or remove the entries"));
            }
        }
        Set<String> included = lowerCase(trimmed(config.getList(FIELD_INCLUDE_LIST_CONFIG)));
        Set<String> includedObjects = included.stream().map(SalesforceSourceConnectorConfig::objectOf)
                .collect(Collectors.toSet());
        List<String> contradictions = new ArrayList<>();
        for (String entry : trimmed(config.getList(FIELD_EXCLUDE_LIST_CONFIG))) {
            String lower = entry.toLowerCase(Locale.ROOT);
            String field = lower.substring(lower.indexOf('.') + 1);
            if (field.equals(FieldFilter.ID.toLowerCase(Locale.ROOT))) {
                problems.add(new ConfigProblem(FIELD_EXCLUDE_LIST_CONFIG, FIELD_EXCLUDE_LIST_CONFIG + " names "
                        + entry + ", but Id is the record key and always mapped: remove the entry"));
            } else if (included.contains(lower) || (field.equals("*") && includedObjects.contains(objectOf(lower)))) {
                contradictions.add(entry);
            }
        }
        if (!contradictions.isEmpty()) {
            problems.add(new ConfigProblem(FIELD_EXCLUDE_LIST_CONFIG, FIELD_EXCLUDE_LIST_CONFIG + " excludes "
                    + String.join(", ", contradictions) + ", which " + FIELD_INCLUDE_LIST_CONFIG
                    + " includes: remove the entries from one of the lists"));
        }
        List<String> notSynced = trimmed(config.getList(OBJECT_POLL_LIST_CONFIG)).stream()
                .filter(o -> !objects.contains(o.toLowerCase(Locale.ROOT))).toList();
        if (!notSynced.isEmpty()) {
            problems.add(new ConfigProblem(OBJECT_POLL_LIST_CONFIG, OBJECT_POLL_LIST_CONFIG + " names "
                    + String.join(", ", notSynced) + ", not in " + OBJECT_INCLUDE_LIST_CONFIG + ": every polled "
                    + "object must also be listed there"));
        }
        int batch = config.getInt(MAX_BATCH_SIZE_CONFIG);
        int queue = config.getInt(MAX_QUEUE_SIZE_CONFIG);
        if (queue <= batch) {
            problems.add(new ConfigProblem(MAX_QUEUE_SIZE_CONFIG, MAX_QUEUE_SIZE_CONFIG + " (" + queue + ") must be "
                    + "larger than " + MAX_BATCH_SIZE_CONFIG + " (" + batch + "): raise it, e.g. to " + 4L * batch
                    + ", or lower " + MAX_BATCH_SIZE_CONFIG));
        }
        return problems;
    }

    public SalesforceConnectionConfig connection() {
        return connection;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    /** The objects to sync, as configured, in the configured order. */
    public List<String> objects() {
        return objects;
    }

    /** The objects read by polling instead of change events, as configured. */
    public Set<String> pollObjects() {
        return pollObjects;
    }

    /** True when {@code object} (case-insensitive) is read by polling rather than change events. */
    public boolean isPolled(String object) {
        return object != null && pollObjectsLowerCase.contains(object.toLowerCase(Locale.ROOT));
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    /**
     * The fields mapped for {@code object} (case-insensitive).
     *
     * @throws IllegalArgumentException when {@code object} is not in {@code object.include.list}
     */
    public FieldFilter fieldFilter(String object) {
        FieldFilter filter = object == null ? null : fieldFilters.get(object.toLowerCase(Locale.ROOT));
        if (filter == null) {
            throw new IllegalArgumentException(object + " is not in " + OBJECT_INCLUDE_LIST_CONFIG + " " + objects);
        }
        return filter;
    }

    public StreamingTransport transport() {
        return transport;
    }

    public UpdateMode updateMode() {
        return updateMode;
    }

    public DeleteHandling deleteHandling() {
        return deleteHandling;
    }

    public ReplayExpiredPolicy replayExpiredPolicy() {
        return replayExpiredPolicy;
    }

    public DecimalHandling decimalHandling() {
        return decimalHandling;
    }

    public MultipicklistHandling multipicklistHandling() {
        return multipicklistHandling;
    }

    public SnapshotMode snapshotMode() {
        return snapshotMode;
    }

    /** Objects with more records than this are snapshotted with Bulk API 2.0. */
    public long snapshotBulkThreshold() {
        return snapshotBulkThreshold;
    }

    public Duration snapshotProgressInterval() {
        return snapshotProgressInterval;
    }

    public Duration resyncMargin() {
        return resyncMargin;
    }

    public int maxBatchSize() {
        return maxBatchSize;
    }

    public int maxQueueSize() {
        return maxQueueSize;
    }

    public Duration pollTimeout() {
        return pollTimeout;
    }

    public int rereadBatchSize() {
        return rereadBatchSize;
    }

    public Duration rereadMaxWait() {
        return rereadMaxWait;
    }

    /** The parsed settings; secrets appear only as {@code (hidden)}. */
    @Override
    public String toString() {
        return "SalesforceSourceConnectorConfig[" + connection + ", topicPrefix=" + topicPrefix + ", objects="
                + objects + ", pollObjects=" + pollObjects + ", fields=" + fieldFilters.entrySet().stream()
                        .filter(e -> !e.getValue().includesAll())
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"))
                + ", transport=" + transport.value() + ", updateMode=" + updateMode.value() + ", deleteHandling="
                + deleteHandling.value() + ", replayExpiredPolicy=" + replayExpiredPolicy.value()
                + ", decimalHandling=" + decimalHandling.value() + ", multipicklistHandling="
                + multipicklistHandling.value() + ", snapshotMode=" + snapshotMode.value() + "]";
    }

    private static Map<String, FieldFilter> fieldFilters(List<String> objects, List<String> include,
            List<String> exclude) {
        Map<String, List<String>> in = byObject(trimmed(include));
        Map<String, List<String>> out = byObject(trimmed(exclude));
        Map<String, FieldFilter> filters = new HashMap<>();
        for (String object : objects) {
            String key = object.toLowerCase(Locale.ROOT);
            filters.put(key, FieldFilter.of(in.getOrDefault(key, List.of()), out.getOrDefault(key, List.of())));
        }
        return Map.copyOf(filters);
    }

    /** {@code Object.Field} entries grouped by lower-case object name, field names as given. */
    private static Map<String, List<String>> byObject(List<String> entries) {
        Map<String, List<String>> byObject = new HashMap<>();
        for (String entry : entries) {
            byObject.computeIfAbsent(objectOf(entry).toLowerCase(Locale.ROOT), o -> new ArrayList<>())
                    .add(entry.substring(entry.indexOf('.') + 1));
        }
        return byObject;
    }

    private static String objectOf(String entry) {
        int dot = entry.indexOf('.');
        return dot < 0 ? entry : entry.substring(0, dot);
    }

    private static List<String> trimmed(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::trim).toList();
    }

    private static Set<String> lowerCase(Collection<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(HashSet::new));
    }
}
