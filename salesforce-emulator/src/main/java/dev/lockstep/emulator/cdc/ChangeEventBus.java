package dev.lockstep.emulator.cdc;

import dev.lockstep.emulator.org.Change;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.OrgListener;
import dev.lockstep.emulator.org.SObjectDef;
import dev.lockstep.emulator.org.WriteContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Change Data Capture event bus: every committed write of a selected entity becomes a {@link ChangeEvent} in
 * one append-only log, in commit order, with a rising (not contiguous) replay id. Channels are views of that log:
 * {@value #ALL_CHANNEL} (every selected entity), {@code /data/<Entity>ChangeEvent} and custom
 * {@code /data/<Name>__chn} channels. Events older than the retention (72 hours by default, on the org's clock)
 * are dropped; replaying from a dropped or unknown position is refused with {@link InvalidReplayIdException}.
 *
 * <p>Thread contract: {@link #committed} runs on the writer's thread under the org's write lock and only appends.
 * Transports read through {@link Subscription}s on their own threads; {@link Subscription#await} blocks until an
 * event for the channel arrives, and {@link #onAppend} callbacks run on the writer's thread and must only wake
 * someone up.
 */
public final class ChangeEventBus implements OrgListener {

    public static final String ALL_CHANNEL = "/data/ChangeEvents";
    /** Salesforce's limit of changes per transaction before the rest become overflow events. */
    public static final int OVERFLOW_THRESHOLD = 100_000;

    private final Org org;
    private final EventSchemas schemas = new EventSchemas();
    private final List<StoredEvent> log = new ArrayList<>();
    private final Object lock = new Object();
    private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Set<String>> customChannels = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> delivered = new ConcurrentHashMap<>();
    private volatile Set<String> selected;
    private volatile Duration retention = Duration.ofHours(72);
    private int head;
    private long lastReplayId = 10_000;
    private long trimmedThrough = 10_000;
    private long commitNumber = 1_100_000_000_000L;
    private long appended;

    public ChangeEventBus(Org org) {
        this.org = org;
    }

    public EventSchemas schemas() {
        return schemas;
    }

    /** The current event schema of an entity. */
    public EventSchemas.EventSchema schemaOf(String entity) {
        return schemas.of(org.schema().require(entity));
    }

    // ------------------------------------------------------------------------------------------ configuration

    /** Selects the entities whose changes become events; an empty set selects every object (the default). */
    public void select(Set<String> entities) {
        Set<String> canonical = new LinkedHashSet<>();
        for (String entity : entities) {
            canonical.add(org.schema().require(entity).name());
        }
        selected = canonical.isEmpty() ? null : Set.copyOf(canonical);
    }

    public boolean isSelected(String entity) {
        Set<String> s = selected;
        return s == null || s.contains(entity);
    }

    /** The selected entities, or every object when none was selected explicitly. */
    public List<String> selectedEntities() {
        return org.schema().objects().stream().map(SObjectDef::name).filter(this::isSelected).toList();
    }

    /** Defines a custom channel {@code /data/<name>__chn} carrying the given entities' events. */
    public String addCustomChannel(String name, Set<String> entities) {
        String channel = name.startsWith("/data/") ? name : "/data/" + name;
        if (!channel.endsWith("__chn")) {
            throw new IllegalArgumentException("Custom channel names end with __chn: " + channel);
        }
        Set<String> canonical = new LinkedHashSet<>();
        for (String entity : entities) {
            canonical.add(org.schema().require(entity).name());
        }
        customChannels.put(channel, Set.copyOf(canonical));
        return channel;
    }

    public Duration retention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
        synchronized (lock) {
            trim();
        }
    }

    /** Called on the writer's thread after every append; must only wake a waiting transport up. */
    public void onAppend(Runnable listener) {
        appendListeners.add(listener);
    }

    public void removeAppendListener(Runnable listener) {
        appendListeners.remove(listener);
    }

    // ------------------------------------------------------------------------------------------ channels

    /**
     * The entities a channel carries.
     *
     * @throws ChannelNotFoundException for an unknown channel, or an entity not selected for CDC
     */
    public Set<String> entitiesOf(String channel) {
        if (channel.equals(ALL_CHANNEL)) {
            return new LinkedHashSet<>(selectedEntities());
        }
        Set<String> custom = customChannels.get(channel);
        if (custom != null) {
            return custom;
        }
        if (channel.startsWith("/data/") && channel.endsWith("ChangeEvent")) {
            String eventName = channel.substring("/data/".length());
            for (SObjectDef def : org.schema().objects()) {
                if (EventSchemas.eventName(def.name()).equals(eventName) && isSelected(def.name())) {
                    return Set.of(def.name());
                }
            }
        }
        throw new ChannelNotFoundException(channel);
    }

    /** Every channel that exists now: the all-entities channel, one per selected entity, and custom ones. */
    public List<String> channels() {
        List<String> channels = new ArrayList<>();
        channels.add(ALL_CHANNEL);
        for (String entity : selectedEntities()) {
            channels.add("/data/" + EventSchemas.eventName(entity));
        }
        channels.addAll(new TreeMap<>(customChannels).keySet());
        return channels;
    }

    // ------------------------------------------------------------------------------------------ writing

    @Override
    public void committed(WriteContext context, String transactionKey, List<Change> changes) {
        String origin = changeOrigin(context);
        // The commit number is taken and the events appended under one hold of the lock, so that an injected gap
        // or overflow event cannot take a later number and still land before these events in the log.
        synchronized (lock) {
            List<ChangeEvent> events = toEvents(context, transactionKey, changes, origin, ++commitNumber);
            if (events.isEmpty()) {
                return;
            }
            appendLocked(events);
        }
        notifyAppendListeners();
    }

    private List<ChangeEvent> toEvents(WriteContext context, String transactionKey, List<Change> changes,
            String origin, long commit) {
        List<ChangeEvent> events = new ArrayList<>();
        Map<String, Boolean> overflowed = new LinkedHashMap<>();
        int weight = 0;
        int sequence = 0;
        for (Change change : changes) {
            if (change.type() == Change.Type.HARD_DELETE) {
                continue;
            }
            sequence++;
            weight += change.type() == Change.Type.UPDATE ? Math.max(1, change.changedFields().size()) : 1;
            if (!isSelected(change.object())) {
                continue;
            }
            if (weight > OVERFLOW_THRESHOLD) {
                overflowed.putIfAbsent(change.object(), true);
                continue;
            }
            SObjectDef def = org.schema().require(change.object());
            events.add(toEvent(def, change, origin, transactionKey, sequence, commit, context.userId()));
        }
        for (String entity : overflowed.keySet()) {
            events.add(overflowEvent(entity, origin, transactionKey, ++sequence, commit, context.userId(),
                    org.clock().millis()));
        }
        return events;
    }

    private ChangeEvent toEvent(SObjectDef def, Change change, String origin, String transactionKey, int sequence,
            long commit, String user) {
        EventSchemas.EventSchema schema = schemas.of(def);
        Object[] values = new Object[schema.dataFieldNames().length];
        for (FieldDef field : def.fields()) {
            Optional<String> path = schema.eventPath(field.name());
            Object value = path.isEmpty() ? null : eventValue(change.values().get(field.name()));
            if (value == null) {
                continue;
            }
            String p = path.get();
            int dot = p.indexOf('.');
            if (dot < 0) {
                values[schema.dataIndex(p)] = value;
            } else {
                int index = schema.dataIndex(p.substring(0, dot));
                @SuppressWarnings("unchecked")
                Map<String, Object> compound = (Map<String, Object>) values[index];
                if (compound == null) {
                    compound = new LinkedHashMap<>();
                    values[index] = compound;
                }
                compound.put(p.substring(dot + 1), value);
            }
        }
        Map<String, Object> fields = EventFields.of(schema.dataFieldNames(), values);
        List<String> changed = new ArrayList<>();
        List<String> nulled = new ArrayList<>();
        if (change.type() == Change.Type.UPDATE) {
            change.changedFields().forEach(f -> schema.eventPath(f).ifPresent(changed::add));
            change.nulledFields().forEach(f -> schema.eventPath(f).ifPresent(nulled::add));
        }
        return new ChangeEvent(def.name(), schema.eventName(), List.of(change.recordId()), change.type().name(),
                origin, transactionKey, sequence, change.commitTimestamp().toEpochMilli(), commit, user, changed,
                nulled, List.of(), fields, schema);
    }

    /** Event values: date-times, dates and times as epoch milliseconds (Avro {@code long}), the rest unchanged. */
    private static Object eventValue(Object value) {
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        if (value instanceof LocalTime time) {
            return time.toNanoOfDay() / 1_000_000;
        }
        return value;
    }

    /** {@code com/salesforce/api/rest/61.0;client=<id>}; empty for the org's own writes. */
    static String changeOrigin(WriteContext context) {
        String api = switch (context.apiKind()) {
            case "REST API" -> "rest";
            case "Bulk API 2.0" -> "bulkapi";
            case "SOAP API" -> "soap";
            default -> null;
        };
        if (api == null) {
            return "";
        }
        String origin = "com/salesforce/api/" + api + "/" + (context.apiVersion() == null ? "64.0" : context.apiVersion());
        return context.callOptionsClient() == null ? origin : origin + ";client=" + context.callOptionsClient();
    }

    /**
     * Publishes a gap event, as Salesforce does when it cannot build a change event: header and record ids only.
     *
     * @param changeType GAP_CREATE, GAP_UPDATE, GAP_DELETE or GAP_UNDELETE
     */
    public StoredEvent injectGap(String entity, String changeType, List<String> recordIds) {
        if (!List.of("GAP_CREATE", "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE").contains(changeType)) {
            throw new IllegalArgumentException("A gap event's change type is GAP_CREATE, GAP_UPDATE, GAP_DELETE or "
                    + "GAP_UNDELETE, not " + changeType);
        }
        SObjectDef def = org.schema().require(entity);
        EventSchemas.EventSchema schema = schemas.of(def);
        StoredEvent stored;
        // The commit number is taken and the event appended under one hold of the lock: a writer committing
        // meanwhile would otherwise append a higher commit number before this event.
        synchronized (lock) {
            long commit = ++commitNumber;
            stored = appendLocked(List.of(new ChangeEvent(def.name(), EventSchemas.eventName(def.name()), recordIds,
                    changeType, "", "gap-" + commit, 1, org.clock().millis(), commit, org.systemUserId(), List.of(),
                    List.of(), List.of(), Map.of(), schema))).get(0);
        }
        notifyAppendListeners();
        return stored;
    }

    /** Publishes an overflow event for an entity: header only, no record ids. */
    public StoredEvent injectOverflow(String entity) {
        SObjectDef def = org.schema().require(entity);
        StoredEvent stored;
        synchronized (lock) {
            long commit = ++commitNumber;
            stored = appendLocked(List.of(overflowEvent(def.name(), "", "overflow-" + commit, 1, commit,
                    org.systemUserId(), org.clock().millis()))).get(0);
        }
        notifyAppendListeners();
        return stored;
    }

    private ChangeEvent overflowEvent(String entity, String origin, String transactionKey, int sequence, long commit,
            String user, long at) {
        return new ChangeEvent(entity, EventSchemas.eventName(entity), List.of(), "GAP_OVERFLOW", origin,
                transactionKey, sequence, at, commit, user, List.of(), List.of(), List.of(), Map.of(),
                schemas.of(org.schema().require(entity)));
    }

    /** Appends events to the log and wakes waiting readers; called with the lock held. */
    private List<StoredEvent> appendLocked(List<ChangeEvent> events) {
        List<StoredEvent> stored = new ArrayList<>(events.size());
        long now = org.clock().millis();
        for (ChangeEvent event : events) {
            // Rising but not contiguous, like Salesforce's: clients must not count on consecutive ids.
            lastReplayId += 1 + (appended++ % 3);
            StoredEvent e = new StoredEvent(lastReplayId, now, event);
            log.add(e);
            stored.add(e);
        }
        trim();
        lock.notifyAll();
        return stored;
    }

    /** Runs the append callbacks, outside the lock. */
    private void notifyAppendListeners() {
        for (Runnable listener : appendListeners) {
            listener.run();
        }
    }

    /** Drops events older than the retention; called with the lock held. */
    private void trim() {
        long oldest = org.clock().millis() - retention.toMillis();
        while (head < log.size() && log.get(head).storedAtMillis() < oldest) {
            trimmedThrough = log.get(head).replayId();
            log.set(head, null);
            head++;
        }
        if (head > 4096 && head > log.size() / 2) {
            log.subList(0, head).clear();
            head = 0;
        }
    }

    // ------------------------------------------------------------------------------------------ saving

    /**
     * The event log as {@link #save()} captures it: the retained events and the counters that number the next ones,
     * so that a restored bus resumes subscribers after any retained replay id and never reissues one.
     */
    public record SavedLog(long lastReplayId, long trimmedThrough, long commitNumber, long appended,
            List<StoredEvent> events) {

        /** @throws IllegalArgumentException when the events are not in rising replay-id order within the counters */
        public SavedLog {
            events = List.copyOf(events);
            long previous = trimmedThrough;
            for (StoredEvent event : events) {
                if (event.replayId() <= previous) {
                    throw new IllegalArgumentException("Saved change events are out of order at replay id "
                            + event.replayId() + " (after " + previous + ")");
                }
                previous = event.replayId();
            }
            if (previous > lastReplayId) {
                throw new IllegalArgumentException("Saved change event " + previous
                        + " is after the saved last replay id " + lastReplayId);
            }
        }
    }

    /** The retained events and the replay and commit counters. */
    public SavedLog save() {
        synchronized (lock) {
            trim();
            return new SavedLog(lastReplayId, trimmedThrough, commitNumber, appended,
                    new ArrayList<>(log.subList(head, log.size())));
        }
    }

    /**
     * Replaces the log and its counters with saved ones (channel selection, custom channels and retention stay as
     * configured). Open subscriptions are not moved: restore before transports serve clients.
     */
    public void restore(SavedLog saved) {
        synchronized (lock) {
            log.clear();
            head = 0;
            log.addAll(saved.events());
            lastReplayId = saved.lastReplayId();
            trimmedThrough = saved.trimmedThrough();
            commitNumber = saved.commitNumber();
            appended = saved.appended();
            trim();
            lock.notifyAll();
        }
    }

    // ------------------------------------------------------------------------------------------ reading

    /** The replay id of the newest event, or of the position before the first event when there is none. */
    public long latestReplayId() {
        synchronized (lock) {
            return lastReplayId;
        }
    }

    /** The replay id of the oldest retained event, or none. */
    public Optional<Long> earliestReplayId() {
        synchronized (lock) {
            trim();
            return head < log.size() ? Optional.of(log.get(head).replayId()) : Optional.empty();
        }
    }

    /**
     * Opens a read position on a channel.
     *
     * @throws ChannelNotFoundException when the channel does not exist
     * @throws InvalidReplayIdException when replaying after an id that was never issued or is past retention
     */
    public Subscription subscribe(String channel, ReplayFrom from) {
        Set<String> entities = entitiesOf(channel);
        synchronized (lock) {
            trim();
            long position = switch (from.kind()) {
                case LATEST -> lastReplayId;
                case EARLIEST -> trimmedThrough;
                case AFTER -> {
                    if (from.replayId() < trimmedThrough || from.replayId() > lastReplayId) {
                        throw new InvalidReplayIdException(from.replayId());
                    }
                    yield from.replayId();
                }
            };
            return new Subscription(channel, entities, position);
        }
    }

    /** Counts events a transport delivered on a channel (read by the admin API). */
    public void countDelivered(String channel, String transport, int events) {
        delivered.computeIfAbsent(transport + " " + channel, k -> new LongAdder()).add(events);
    }

    /** Events delivered, by {@code "<transport> <channel>"}. */
    public Map<String, Long> deliveredCounts() {
        Map<String, Long> counts = new TreeMap<>();
        delivered.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    /** How many events the log holds now. */
    public int size() {
        synchronized (lock) {
            trim();
            return log.size() - head;
        }
    }

    /**
     * A read position on one channel. Not thread-safe: one transport thread owns it. {@link #position()} is the
     * replay id of the last event examined, delivered or skipped as not belonging to the channel.
     */
    public final class Subscription {

        private final String channel;
        private final Set<String> entities;
        private long position;

        private Subscription(String channel, Set<String> entities, long position) {
            this.channel = channel;
            this.entities = Set.copyOf(entities);
            this.position = position;
        }

        public String channel() {
            return channel;
        }

        public long position() {
            return position;
        }

        /**
         * Up to {@code max} events of the channel after the position, oldest first; empty when none is there.
         *
         * @throws InvalidReplayIdException when retention dropped events this subscription had not read yet
         */
        public List<StoredEvent> poll(int max) {
            List<StoredEvent> events = new ArrayList<>(Math.min(max, 256));
            synchronized (lock) {
                trim();
                if (position < trimmedThrough) {
                    throw new InvalidReplayIdException(position);
                }
                int i = indexAfter(position);
                while (i < log.size() && events.size() < max) {
                    StoredEvent e = log.get(i++);
                    position = e.replayId();
                    if (entities.contains(e.event().entityName())) {
                        events.add(e);
                    }
                }
            }
            return events;
        }

        /** Blocks until an event of the channel is there after the position, or {@code timeout} passes. */
        public boolean await(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (lock) {
                while (true) {
                    int i = indexAfter(position);
                    for (int j = i; j < log.size(); j++) {
                        if (entities.contains(log.get(j).event().entityName())) {
                            return true;
                        }
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    lock.wait(Math.max(1, remaining / 1_000_000));
                }
            }
        }

        /** The index of the first log entry after {@code replayId}; called with the lock held. */
        private int indexAfter(long replayId) {
            int low = head;
            int high = log.size();
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (log.get(mid).replayId() <= replayId) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return low;
        }
    }

    /** Every current event of a record, for tests: the events whose record ids include {@code recordId}. */
    public List<StoredEvent> eventsOf(String recordId) {
        synchronized (lock) {
            List<StoredEvent> events = new ArrayList<>();
            for (int i = head; i < log.size(); i++) {
                if (log.get(i).event().recordIds().contains(recordId)) {
                    events.add(log.get(i));
                }
            }
            return events;
        }
    }
}
