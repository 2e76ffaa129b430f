package dev.lockstep.source.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.common.Envelope;
import dev.lockstep.common.Version;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.bulk.BulkJobException;
import dev.lockstep.salesforce.client.bulk.BulkRows;
import dev.lockstep.salesforce.client.bulk.JobInfo;
import dev.lockstep.salesforce.client.rest.RestApi;
import dev.lockstep.salesforce.client.rest.Soql;
import dev.lockstep.salesforce.client.streaming.ChangeEvent;
import dev.lockstep.salesforce.client.streaming.ChangeEventHeader;
import dev.lockstep.salesforce.client.streaming.ReplayFrom;
import dev.lockstep.salesforce.client.streaming.ReplayId;
import dev.lockstep.salesforce.client.streaming.ReplayIdInvalidException;
import dev.lockstep.source.config.DeleteHandling;
import dev.lockstep.source.config.FieldFilter;
import dev.lockstep.source.config.MultipicklistHandling;
import dev.lockstep.source.config.ReplayExpiredPolicy;
import dev.lockstep.source.config.SalesforceSourceConnectorConfig;
import dev.lockstep.source.config.SnapshotMode;
import dev.lockstep.source.config.StreamingTransport;
import dev.lockstep.source.config.UpdateMode;
import dev.lockstep.source.offsets.SourceOffsets;
import dev.lockstep.source.offsets.SourceOffsets.Position;
import dev.lockstep.source.schema.ObjectSchema;
import dev.lockstep.source.schema.SchemaOptions;
import dev.lockstep.source.schema.SourceInfo;
import dev.lockstep.source.schema.UnknownFieldException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one Salesforce object into Kafka records, on its own thread, from wherever its stored offset says:
 * snapshot (REST or Bulk API 2.0, resumable), then the re-sync of the snapshot window, then the change stream
 * (Pub/Sub or CometD) with gap, overflow and expired-position recovery — or, in poll mode, a SystemModstamp cursor.
 *
 * <p>Thread contract: {@link #run} runs on one dedicated thread; records leave through the task's
 * {@link RecordQueue} (blocking when it is full), a failure that needs the operator is handed to it with
 * {@link RecordQueue#fail}. The subscription's transport threads only touch the {@link Inbox}. {@link #stop} may be
 * called from any thread.
 */
final class ObjectReader implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectReader.class);
    private static final String IS_DELETED = "IsDeleted";
    private static final String SYSTEM_MODSTAMP = "SystemModstamp";
    private static final int INBOX_CAPACITY = 1000;

    /** What the readers of one task share. */
    record Shared(SalesforceSourceConnectorConfig config, String connectorName, String orgId, RecordQueue queue,
            SnapshotOrder snapshotOrder, org.apache.kafka.common.metrics.PluginMetrics pluginMetrics) {}

    private final Shared shared;
    private final SalesforceSourceConnectorConfig config;
    private final String object;
    private final SalesforceClient client;
    private final Position stored;
    private final Map<String, Object> partition;
    private final ObjectMetrics metrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final String topic;
    private volatile boolean stopping;

    private JsonNode describe;
    private ObjectSchema schema;
    private int schemaVersion;
    private String lastSchemaId;
    /** The stream position of the last record handed over, and the commit time of its event. */
    private ReplayId position;
    private Instant positionCommit;
    private Inbox inbox;
    /** When the current subscription was requested. */
    private Instant subscribedAt;
    private dev.lockstep.salesforce.client.streaming.Subscription subscription;
    private Instant lastProgressLog = Instant.EPOCH;
    /**
     * Poll mode: the records already sent as deleted, with when they were deleted, until the getDeleted window
     * has moved past them. getDeleted covers whole minutes and the window is kept open a margin back, so each call
     * reports again the deletions of the last minute or two; without this, every poll cycle re-sent them.
     */
    private final Map<String, Instant> polledDeletes = new HashMap<>();

    ObjectReader(Shared shared, String object, SalesforceClient client, JsonNode describe, Position stored) {
        this.shared = shared;
        this.config = shared.config();
        this.object = object;
        this.client = client;
        this.describe = describe;
        this.stored = stored;
        this.partition = SourceOffsets.partition(shared.orgId(), object);
        this.metrics = new ObjectMetrics(client.metrics());
        this.topic = config.topicPrefix() + "." + object;
    }

    String object() {
        return object;
    }

    ObjectMetrics metrics() {
        return metrics;
    }

    void stop() {
        stopping = true;
        stopped.countDown();
        dev.lockstep.salesforce.client.streaming.Subscription s = subscription;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public void run() {
        metrics.register(shared.pluginMetrics(), object);
        try {
            buildSchema(false);
            if (config.isPolled(object)) {
                runPolled();
            } else {
                runStreamed();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (StopRequested e) {
            // stop() was called: nothing to report.
        } catch (RuntimeException e) {
            if (!stopping) {
                LOG.error("Reading {} stopped: {}", object, e.getMessage(), e);
                shared.queue().fail(e instanceof ConnectException ? e
                        : new ConnectException("Reading Salesforce object " + object + " failed: " + e.getMessage(),
                                e));
            }
        } catch (Error e) {
            // Left to the thread's default handler only, the task would stay RUNNING without this object.
            shared.queue().fail(new ConnectException("Reading Salesforce object " + object + " failed: " + e, e));
            throw e;
        } finally {
            shared.snapshotOrder().release(object);
            closeSubscription();
            metrics.phase("stopped");
        }
    }

    // ---------------------------------------------------------------------------------------------- CDC objects

    private void runStreamed() throws InterruptedException {
        Position p = stored;
        if (p == null || p.phase() == SourceOffsets.Phase.POLL) {
            if (config.snapshotMode() == SnapshotMode.NEVER) {
                shared.snapshotOrder().release(object);
                LOG.info("{}: no stored position and snapshot.mode=never: streaming new changes only", object);
                stream(ReplayFrom.latest(), null);
                return;
            }
            p = null;
        }
        switch (p == null ? SourceOffsets.Phase.SNAPSHOT : p.phase()) {
            case SNAPSHOT -> {
                Instant started = snapshot(p);
                stream(ReplayFrom.latest(), Cursor.since(started.minus(config.resyncMargin())));
            }
            case RESYNC -> {
                shared.snapshotOrder().release(object);
                position = p.replayId();
                positionCommit = p.commitTs();
                stream(p.replayId() == null ? ReplayFrom.latest() : ReplayFrom.after(p.replayId()),
                        new Cursor(p.systemModstamp(), p.lastId()));
            }
            case STREAM -> {
                shared.snapshotOrder().release(object);
                position = p.replayId();
                positionCommit = p.commitTs();
                stream(ReplayFrom.after(p.replayId()), null);
            }
            default -> throw new IllegalStateException("Unexpected phase " + p.phase());
        }
    }

    /**
     * Streams from {@code from}. With a {@code resync} cursor, first re-reads every record modified since it; when
     * the stream starts at LATEST it waits until the server accepted the subscription, so no change falls between
     * the re-read and the stream. Returns only when stopping.
     */
    private void stream(ReplayFrom from, Cursor resync) throws InterruptedException {
        ReplayFrom next = from;
        Cursor pendingResync = resync;
        while (!stopping) {
            subscribe(next);
            if (pendingResync != null) {
                if (next.kind() == ReplayFrom.Kind.LATEST) {
                    metrics.phase("awaiting-stream");
                    awaitLive();
                }
                // A subscription that failed before it was live would leave the changes made during the re-read
                // to no one: the re-sync waits for the next subscription.
                if (inbox.failure == null) {
                    resync(pendingResync, null, "resync");
                    pendingResync = null;
                }
            }
            metrics.phase("streaming");
            Restart restart = consume();
            closeSubscription();
            next = restart.from;
            if (restart.resync != null && (pendingResync == null
                    || restart.resync.modstamp().isBefore(pendingResync.modstamp()))) {
                pendingResync = restart.resync; // the earlier of two pending re-syncs covers both
            }
        }
    }

    /** Why the stream loop resubscribes, and from where. */
    private record Restart(ReplayFrom from, Cursor resync) {}

    private void subscribe(ReplayFrom from) {
        subscribedAt = Instant.now();
        inbox = new Inbox(INBOX_CAPACITY);
        String channel = channel();
        LOG.info("{}: subscribing to {} over {} from {}", object, channel, config.transport().value(),
                from.kind() == ReplayFrom.Kind.CUSTOM ? from.after() : from.kind());
        subscription = retrying("subscribe to " + channel, () -> config.transport() == StreamingTransport.COMETD
                ? client.cometd().subscribe(channel, from, inbox)
                : client.pubsub().subscribe(channel, from, inbox));
    }

    private void closeSubscription() {
        dev.lockstep.salesforce.client.streaming.Subscription s = subscription;
        subscription = null;
        if (s != null) {
            s.close();
        }
    }

    /** {@code /data/AccountChangeEvent}, {@code /data/Invoice__ChangeEvent}. */
    private String channel() {
        return dev.lockstep.salesforce.client.streaming.ChangeEventChannel.of(object);
    }

    private void awaitLive() throws InterruptedException {
        while (!inbox.live.await(200, TimeUnit.MILLISECONDS)) {
            checkStop();
            if (inbox.failure != null) {
                return; // consume() handles it
            }
        }
    }

    /** Takes events off the inbox until the subscription ends or must restart. */
    private Restart consume() throws InterruptedException {
        List<ChangeEvent> batch = new ArrayList<>();
        while (true) {
            checkStop();
            ChangeEvent first = inbox.events.poll(200, TimeUnit.MILLISECONDS);
            if (first == null) {
                SalesforceException failure = inbox.failure;
                // Events delivered just before the failure are handled first: the restart resumes after them.
                if (failure != null && inbox.events.isEmpty()) {
                    return onStreamFailure(failure);
                }
                continue;
            }
            batch.clear();
            batch.add(first);
            inbox.events.drainTo(batch, config.maxBatchSize() - 1);
            if (config.updateMode() == UpdateMode.FULL) {
                gatherForReread(batch);
            }
            subscription.capacityAvailable();
            Restart restart = process(batch);
            if (restart != null) {
                return restart;
            }
        }
    }

    /**
     * Full mode: lets events gather up to {@code reread.max.wait.ms}, or until {@code reread.batch.size} are waiting,
     * so a steady trickle of changes costs one SOQL re-read per batch rather than one per handful of events.
     */
    private void gatherForReread(List<ChangeEvent> batch) throws InterruptedException {
        long deadline = System.nanoTime() + config.rereadMaxWait().toNanos();
        while (batch.size() < config.rereadBatchSize() && inbox.failure == null) {
            subscription.capacityAvailable();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            ChangeEvent next = inbox.events.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            inbox.events.drainTo(batch, Math.max(0, config.maxBatchSize() - batch.size()));
        }
    }

    private Restart onStreamFailure(SalesforceException failure) throws InterruptedException {
        if (failure instanceof ReplayIdInvalidException) {
            return onReplayExpired(failure);
        }
        if (failure.category() == ErrorCategory.FATAL || failure.category() == ErrorCategory.AUTH) {
            throw new ConnectException("The change stream of " + object + " (" + channel() + ") failed: "
                    + failure.getMessage() + ". Check that Change Data Capture is enabled for " + object
                    + " and that the connector's user may read it.", failure);
        }
        metrics.retry();
        LOG.warn("{}: the change stream ended ({}); resubscribing", object, failure.getMessage());
        ReplayFrom from = resumeFrom();
        pause(config.connection().retryPolicy().cap());
        // No position to resume after (no event yet; CometD has no keepalive position either): the new subscription
        // starts at the newest event, so what changed since this one began is re-read, as in the hand-off.
        return new Restart(from, from.kind() == ReplayFrom.Kind.LATEST
                ? Cursor.since(subscribedAt.minus(config.resyncMargin())) : null);
    }

    private ReplayFrom resumeFrom() {
        ReplayId last = subscription == null ? null : subscription.lastReplayId();
        ReplayId from = last != null ? last : position;
        return from == null ? ReplayFrom.latest() : ReplayFrom.after(from);
    }

    private Restart onReplayExpired(SalesforceException failure) throws InterruptedException {
        ReplayExpiredPolicy policy = config.snapshotMode() == SnapshotMode.WHEN_NEEDED ? ReplayExpiredPolicy.RESNAPSHOT
                : config.replayExpiredPolicy();
        LOG.warn("{}: the stored replay position can no longer be resumed ({}); replay.expired.policy={}", object,
                failure.getMessage(), policy.value());
        metrics.resync();
        switch (policy) {
            case LATEST -> {
                LOG.warn("{}: continuing from the newest event; changes made while the position was lost are NOT "
                        + "synced (replay.expired.policy=latest)", object);
                position = null;
                return new Restart(ReplayFrom.latest(), null);
            }
            case FAIL -> throw new ConnectException("The replay position of " + object + " has expired or is "
                    + "invalid (" + failure.getMessage() + "). To recover, set replay.expired.policy=resnapshot, or "
                    + "reset the connector's offsets (DELETE /connectors/<name>/offsets while it is stopped) to take "
                    + "a new snapshot.", failure);
            default -> {
                Instant lostSince = positionCommit;
                // Forget the dead position: the re-sync after the snapshot must not store it as the one to resume.
                position = null;
                positionCommit = null;
                closeSubscription();
                Instant started = snapshot(null);
                if (lostSince != null) {
                    emitDeletedSince(lostSince.minus(config.resyncMargin()), started);
                }
                return new Restart(ReplayFrom.latest(), Cursor.since(started.minus(config.resyncMargin())));
            }
        }
    }

    /** Handles a batch of events in replay order; returns non-null when the stream must restart. */
    private Restart process(List<ChangeEvent> events) throws InterruptedException {
        List<ChangeEvent> reread = new ArrayList<>();
        for (ChangeEvent event : events) {
            checkStop();
            ChangeEventHeader h = event.header();
            if (!object.equalsIgnoreCase(h.entityName())) {
                throw new ConnectException("An event for " + h.entityName() + " arrived on the channel of " + object);
            }
            onSchemaId(event.schemaId());
            String type = h.changeType();
            boolean batchable = !h.isGap() && !"DELETE".equals(type)
                    && (config.updateMode() == UpdateMode.FULL || needsRead(h));
            if (batchable) {
                reread.add(event);
                if (distinctIds(reread) >= config.rereadBatchSize()) {
                    flushRereads(reread);
                }
                continue;
            }
            flushRereads(reread);
            if ("GAP_OVERFLOW".equals(type)) {
                Instant since = h.commitTimestamp().minus(config.resyncMargin());
                LOG.warn("{}: overflow event at {}: re-reading every record modified since {}", object,
                        h.commitTimestamp(), since);
                metrics.resync();
                resync(Cursor.since(since), event, "overflow");
                advance(event);
            } else if (h.isGap()) {
                LOG.warn("{}: gap event {} for {} records: re-reading them", object, type, h.recordIds().size());
                rereadAndEmit(List.of(event));
            } else if ("DELETE".equals(type)) {
                emitDeletes(event);
            } else if (!h.diffFields().isEmpty()) {
                rereadAndEmit(List.of(event)); // a large text area sent as a diff: read its whole value
            } else {
                emitPartial(event);
            }
        }
        flushRereads(reread);
        return null;
    }

    /**
     * Whether a partial-mode event must still be re-read because it changes a value only a read returns: a create
     * or undelete of an object with derived fields mapped (formula fields, a Contact's Name), or an update of a
     * compound's parts whose value is mapped (LastName → Name). Formula fields are not re-read on updates: which
     * fields they depend on is not known (update mode full re-reads them).
     */
    private boolean needsRead(ChangeEventHeader h) {
        String type = h.changeType();
        if ("CREATE".equals(type) || "UNDELETE".equals(type)) {
            return !schema.derivedFields().isEmpty();
        }
        return "UPDATE".equals(type) && schema.changesDerivedValue(schema.afterFieldNames(h.changedFields()));
    }

    private static int distinctIds(List<ChangeEvent> events) {
        Set<String> ids = new LinkedHashSet<>();
        events.forEach(e -> ids.addAll(e.header().recordIds()));
        return ids.size();
    }

    private void flushRereads(List<ChangeEvent> events) throws InterruptedException {
        if (!events.isEmpty()) {
            rereadAndEmit(events);
            events.clear();
        }
    }

    /** A partial event as it is (zero API calls): the changed fields, {@code complete} when nothing is missing. */
    private void emitPartial(ChangeEvent event) throws InterruptedException {
        ChangeEventHeader h = event.header();
        String op = "UPDATE".equals(h.changeType()) ? Envelope.OP_UPDATE : Envelope.OP_CREATE;
        boolean update = op.equals(Envelope.OP_UPDATE);
        List<String> ids = h.recordIds();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Struct after;
            try {
                after = afterFromEvent(event, id);
            } catch (DataException | UnknownFieldException e) {
                // As for queried records: a field even a fresh describe does not know goes to the error topic with
                // the record, instead of failing the task on this event at every restart.
                reportError(id, e, event, positionFor(event, i == ids.size() - 1));
                continue;
            }
            // After afterFromEvent: a field new to Salesforce has refreshed the schema, so it is named here too.
            List<String> changed = update ? schema.afterFieldNames(h.changedFields()) : eventFields();
            List<String> nulled = update ? schema.afterFieldNames(h.nulledFields()) : List.of();
            boolean complete = !update && !schema.hasFieldsNotInEvents();
            SourceInfo src = eventSource(h, event.replayId(), complete ? null : changed, complete ? null : nulled,
                    complete);
            emit(op, id, after, src, positionFor(event, i == ids.size() - 1));
        }
        advance(event);
    }

    /** The {@code after} fields a change event carries: all but formula fields, SystemModstamp and the like. */
    private List<String> eventFields() {
        List<String> fields = new ArrayList<>();
        for (org.apache.kafka.connect.data.Field f : schema.afterSchema().fields()) {
            fields.add(f.name());
        }
        fields.removeAll(schema.fieldsNotInEvents());
        return fields;
    }

    private Struct afterFromEvent(ChangeEvent event, String id) {
        try {
            return schema.afterFromEvent(id, event.fields());
        } catch (UnknownFieldException e) {
            buildSchema(true);
            return schema.afterFromEvent(id, event.fields());
        }
    }

    private void emitDeletes(ChangeEvent event) throws InterruptedException {
        ChangeEventHeader h = event.header();
        List<String> ids = h.recordIds();
        for (int i = 0; i < ids.size(); i++) {
            emitDelete(ids.get(i), eventSource(h, event.replayId(), null, null, true),
                    positionFor(event, i == ids.size() - 1));
        }
        advance(event);
    }

    /**
     * Full mode and gaps: reads the records the events name (one SOQL call per up to {@code reread.batch.size} Ids)
     * and emits complete rows, each once, at the last event naming it; a record gone meanwhile is left to its
     * DELETE event, except for gap events, which carry no later DELETE and so emit one.
     */
    private void rereadAndEmit(List<ChangeEvent> events) throws InterruptedException {
        Map<String, Integer> lastEventOf = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            for (String id : events.get(i).header().recordIds()) {
                lastEventOf.remove(id);
                lastEventOf.put(id, i);
            }
        }
        Map<String, Map<String, Object>> rows = new HashMap<>();
        List<String> ids = new ArrayList<>(lastEventOf.keySet());
        for (int from = 0; from < ids.size(); from += config.rereadBatchSize()) {
            rows.putAll(readByIds(ids.subList(from, Math.min(ids.size(), from + config.rereadBatchSize())), false));
        }
        List<Map.Entry<String, Integer>> order = new ArrayList<>(lastEventOf.entrySet());
        for (int k = 0; k < order.size(); k++) {
            String id = order.get(k).getKey();
            ChangeEvent event = events.get(order.get(k).getValue());
            ChangeEventHeader h = event.header();
            boolean last = k == order.size() - 1;
            Map<String, Object> row = rows.get(id);
            SourceInfo src = eventSource(h, event.replayId(), null, null, true);
            // Not the last: a restart must replay (or re-read) from the first event on.
            Position pos = last ? positionFor(events.get(events.size() - 1), true) : positionFor(events.get(0), false);
            if (row == null) {
                if (h.isGap()) {
                    emitDelete(id, src, pos);
                } else {
                    metrics.rereadMissing();
                }
                continue;
            }
            String op = h.isGap() || "UPDATE".equals(h.changeType()) ? Envelope.OP_UPDATE : Envelope.OP_CREATE;
            emitRow(op, id, row, src, pos);
        }
        advance(events.get(events.size() - 1));
    }

    /** Rows by Id, typed; deleted ones too when {@code all}. A field Salesforce refuses: see {@link #retrying}. */
    private Map<String, Map<String, Object>> readByIds(List<String> ids, boolean all) {
        return retrying("re-read " + ids.size() + " " + object + " records", () -> {
            Map<String, Map<String, Object>> out = new HashMap<>();
            Iterator<Map<String, Object>> it = typedQuery("SELECT " + selectList(all) + " FROM " + object
                    + " WHERE Id IN " + Soql.list(ids), all);
            while (it.hasNext()) {
                Map<String, Object> row = it.next();
                out.put((String) row.get(Envelope.ID), row);
            }
            return out;
        });
    }

    /**
     * Where a stream record resumes: the event's own position for the last record it yields, else the previous
     * event's, so a restart replays the event. Before any event (just after a re-sync, or with no stored position)
     * there is no previous one: a re-sync from the event's commit time then reads its records again.
     */
    private Position positionFor(ChangeEvent event, boolean lastOfEvent) {
        if (lastOfEvent) {
            return Position.stream(event.replayId(), event.header().commitTimestamp());
        }
        if (position == null) {
            return Position.resync(event.header().commitTimestamp().minus(config.resyncMargin()), null, null, null);
        }
        return Position.stream(position, positionCommit);
    }

    private void advance(ChangeEvent event) {
        position = event.replayId();
        positionCommit = event.header().commitTimestamp();
        metrics.replayId(position.toBase64());
    }

    private SourceInfo source(long tsMs, String snapshot, String replayId, String changeType, String changeOrigin,
            String transactionKey, Integer sequenceNumber, String commitUser, List<String> changed,
            List<String> nulled, boolean complete) {
        return new SourceInfo(Envelope.Source.CONNECTOR_SALESFORCE, shared.connectorName(), Version.get(),
                shared.orgId(), object, tsMs, snapshot, replayId, changeType, changeOrigin, transactionKey,
                sequenceNumber, commitUser, changed, nulled, complete);
    }

    private SourceInfo eventSource(ChangeEventHeader h, ReplayId replayId, List<String> changed, List<String> nulled,
            boolean complete) {
        return source(h.commitTimestamp().toEpochMilli(),
                "false", replayId.toBase64(), h.changeType(), h.changeOrigin(), h.transactionKey(),
                h.sequenceNumber(), h.commitUser(), changed, nulled, complete);
    }

    /** A new schema id on the stream means the object's fields changed: read describe again. */
    private void onSchemaId(String schemaId) {
        if (schemaId == null) {
            return;
        }
        if (lastSchemaId != null && !lastSchemaId.equals(schemaId)) {
            LOG.info("{}: the change event schema changed ({} -> {}): reading describe again", object, lastSchemaId,
                    schemaId);
            buildSchema(true);
        }
        lastSchemaId = schemaId;
    }

    // ------------------------------------------------------------------------------------------------- snapshot

    /**
     * Emits every current record as {@code r}, resuming from {@code resume} (a snapshot offset) when given.
     *
     * @return when the snapshot window started: the re-sync after it reads from there
     */
    private Instant snapshot(Position resume) throws InterruptedException {
        shared.snapshotOrder().awaitTurn(object);
        metrics.phase("snapshot");
        Instant started = resume != null ? resume.snapshotStarted() : Instant.now();
        long total = retrying("count " + object, () -> client.rest().count("SELECT COUNT() FROM " + object));
        boolean bulk = resume != null ? resume.job() != null : total > config.snapshotBulkThreshold();
        long done = resume != null && resume.done() != null ? resume.done() : 0;
        LOG.info("{}: snapshot of {} records with {}{}", object, total, bulk ? "Bulk API 2.0" : "REST queries",
                resume != null ? ", resuming after " + done : "");
        metrics.snapshot(done, total);
        Pending pending = new Pending(bulk);
        if (bulk) {
            bulkSnapshot(resume, started, done, total, pending);
        } else {
            restSnapshot(resume, started, done, total, pending);
        }
        pending.flush("last");
        LOG.info("{}: snapshot done: {} records", object, metrics.records("r"));
        shared.snapshotOrder().release(object);
        return started;
    }

    /**
     * Holds back the latest snapshot row so the final one can be marked {@code snapshot=last}; in a Bulk snapshot
     * of an object with synced blobs, up to {@code reread.batch.size} rows more, whose blob URLs one query then
     * reads ({@link #withBlobUrls}).
     */
    private final class Pending {
        private final boolean bulk;
        private final List<Map<String, Object>> rows = new ArrayList<>();
        private final List<Position> positions = new ArrayList<>();

        Pending(boolean bulk) {
            this.bulk = bulk;
        }

        private boolean needsBlobUrls() {
            return bulk && !schema.base64Fields().isEmpty();
        }

        void offer(Map<String, Object> row, Position position) throws InterruptedException {
            rows.add(row);
            positions.add(position);
            if (rows.size() > (needsBlobUrls() ? config.rereadBatchSize() : 1)) {
                emit(rows.size() - 1, "true");
            }
        }

        /** Emits every row held, the last one with {@code snapshotFlag}. */
        void flush(String snapshotFlag) throws InterruptedException {
            emit(rows.size(), snapshotFlag);
        }

        /** Emits the first {@code n} rows held, the {@code n}th with {@code lastFlag}. */
        private void emit(int n, String lastFlag) throws InterruptedException {
            if (n == 0) {
                return;
            }
            List<Map<String, Object>> batch = new ArrayList<>(rows.subList(0, n));
            List<Position> at = new ArrayList<>(positions.subList(0, n));
            rows.subList(0, n).clear();
            positions.subList(0, n).clear();
            if (needsBlobUrls()) {
                batch = withBlobUrls(batch);
            }
            for (int i = 0; i < n; i++) {
                Map<String, Object> row = batch.get(i);
                SourceInfo src = source(modstampMillis(row), i == n - 1 ? lastFlag : "true", null, null, null,
                        null, null, null, null, null, true);
                emitRow(Envelope.OP_READ, (String) row.get(Envelope.ID), row, src, at.get(i));
            }
        }
    }

    private void restSnapshot(Position resume, Instant started, long done, long total, Pending pending)
            throws InterruptedException {
        String lastId = resume != null ? resume.lastId() : null;
        long count = done;
        while (true) {
            checkStop();
            try {
                Iterator<Map<String, Object>> rows = typedQuery("SELECT " + selectList(false) + " FROM " + object
                        + (lastId == null ? "" : " WHERE Id > " + Soql.literal(lastId)) + " ORDER BY Id", false);
                while (rows.hasNext()) {
                    Map<String, Object> row = rows.next();
                    lastId = (String) row.get(Envelope.ID);
                    count++;
                    pending.offer(row, Position.snapshotRest(started, lastId, count, total));
                    progress(count, total);
                }
                return;
            } catch (SalesforceException e) {
                if ("INVALID_FIELD".equals(e.errorCode())) {
                    pending.flush("true"); // read with the current field list: converted before the schema changes
                }
                if (refreshedForInvalidField(e)) {
                    continue; // again from the cursor, without the field
                }
                if (!e.isRetriable() && e.category() != ErrorCategory.LIMIT) {
                    throw fatal("snapshot", e);
                }
                backoff("snapshot query", e); // resumes after the last Id read: no row twice
            }
        }
    }

    private void bulkSnapshot(Position resume, Instant started, long done, long total, Pending pending)
            throws InterruptedException {
        String jobId = resume != null ? resume.job() : null;
        String locator = resume != null ? resume.locator() : null;
        long skip = resume != null && resume.row() != null ? resume.row() : 0;
        long count = done;
        boolean resumed = jobId != null;
        while (true) {
            checkStop();
            if (jobId == null) {
                jobId = retrying("start a Bulk query of " + object, () -> client.bulk().createQuery(
                        "SELECT " + bulkSelectList() + " FROM " + object, false).id());
                resumed = false;
                locator = null;
                skip = 0;
                count = 0;
            }
            String job = jobId;
            JobInfo info;
            try {
                info = retrying("wait for Bulk job " + job, () -> completedOrNull(job));
            } catch (ConnectException e) {
                if (!resumed) {
                    throw e; // a job of ours that failed would fail again: do not start job after job
                }
                LOG.warn("{}: Bulk job {} cannot be resumed ({}); starting the snapshot over", object, job,
                        e.getMessage());
                jobId = null;
                continue;
            }
            if (info == null) {
                // Failed on Salesforce's side: that job stays Failed, a new one may pass.
                metrics.retry();
                pause(config.connection().retryPolicy().cap());
                jobId = null;
                continue;
            }
            try (BulkRows<Map<String, Object>> rows = client.bulk().typedResults(info, locator)) {
                long toSkip = skip;
                while (rows.hasNext()) {
                    Map<String, Object> row = rows.next();
                    if (toSkip > 0) {
                        toSkip--;
                        continue;
                    }
                    count++;
                    pending.offer(row, Position.snapshotBulk(started, job, rows.chunkLocator(),
                            rows.rowsInChunk(), count, total));
                    locator = rows.chunkLocator();
                    skip = rows.rowsInChunk();
                    progress(count, total);
                }
                return;
            } catch (SalesforceException e) {
                if (!e.isRetriable() && e.category() != ErrorCategory.LIMIT) {
                    throw fatal("Bulk snapshot", e);
                }
                backoff("Bulk results", e); // the chunk is fetched again and the rows already emitted skipped
            }
        }
    }

    /**
     * The completed job; null when it ended Failed on Salesforce's side (InternalServerError): waiting for it again
     * cannot help, a new job may pass.
     */
    private JobInfo completedOrNull(String job) {
        try {
            return client.bulk().awaitQuery(job);
        } catch (BulkJobException e) {
            if (BulkJobException.JOB_FAILED.equals(e.errorCode()) && e.isRetriable()) {
                LOG.warn("{}: {}; starting a new Bulk job", object, e.getMessage());
                return null;
            }
            throw e;
        }
    }

    private void progress(long done, long total) {
        metrics.snapshot(done, total);
        Instant now = Instant.now();
        if (now.isAfter(lastProgressLog.plus(config.snapshotProgressInterval()))) {
            lastProgressLog = now;
            LOG.info("{}: snapshot {} of {} records ({}%)", object, done, total,
                    total == 0 ? 100 : Math.min(100, done * 100 / total));
        }
    }

    // --------------------------------------------------------------------------------------- resync and polling

    /** A keyset position over (SystemModstamp, Id). */
    private record Cursor(Instant modstamp, String lastId) {
        static Cursor since(Instant t) {
            return new Cursor(t, null);
        }

        boolean isAfter(Instant stamp, String id) {
            int c = stamp.compareTo(modstamp);
            return c > 0 || c == 0 && lastId != null && id.compareTo(lastId) > 0 || c == 0 && lastId == null;
        }
    }

    /** What to do with one row of {@link #readModifiedSince}. */
    @FunctionalInterface
    private interface ModifiedRow {
        void accept(String id, Instant stamp, Map<String, Object> row) throws InterruptedException;
    }

    /**
     * Reads, with queryAll, every record modified after the cursor (deleted ones too), in (SystemModstamp, Id)
     * order, handing each to {@code handler}; failures are retried from the cursor reached, so no row is handed
     * over twice. SOQL date-time literals have whole seconds: the query starts at the cursor's second and rows at or
     * before the cursor are skipped here.
     *
     * @return the cursor after the last row
     */
    private Cursor readModifiedSince(Cursor from, String what, ModifiedRow handler) throws InterruptedException {
        Cursor cursor = from;
        while (true) {
            checkStop();
            try {
                Iterator<Map<String, Object>> rows = typedQuery("SELECT " + selectList(true) + " FROM " + object
                        + " WHERE SystemModstamp >= " + Soql.literal(cursor.modstamp().truncatedTo(ChronoUnit.SECONDS))
                        + " ORDER BY SystemModstamp, Id", true);
                while (rows.hasNext()) {
                    Map<String, Object> row = rows.next();
                    String id = (String) row.get(Envelope.ID);
                    Instant stamp = (Instant) row.get(SYSTEM_MODSTAMP);
                    if (stamp == null || !cursor.isAfter(stamp, id)) {
                        continue;
                    }
                    cursor = new Cursor(stamp, id);
                    handler.accept(id, stamp, row);
                }
                return cursor;
            } catch (SalesforceException e) {
                if (refreshedForInvalidField(e)) {
                    continue; // again from the cursor, without the field
                }
                if (!e.isRetriable() && e.category() != ErrorCategory.LIMIT) {
                    throw fatal(what, e);
                }
                backoff(what + " query", e); // resumes from the cursor
            }
        }
    }

    /**
     * Re-reads every record modified at or after the cursor (deleted ones too, as deletes) and emits complete rows.
     *
     * @param streamEvent the event that caused it (an overflow), whose position the records carry; null otherwise
     * @return the cursor after the last record
     */
    private Cursor resync(Cursor from, ChangeEvent streamEvent, String why) throws InterruptedException {
        metrics.phase(why);
        return readModifiedSince(from, "re-sync", (id, stamp, row) -> {
            // After an overflow, a restart finishes this re-sync and streams on after the overflow event.
            Position pos = streamEvent != null
                    ? Position.resync(stamp, id, streamEvent.replayId(), streamEvent.header().commitTimestamp())
                    : Position.resync(stamp, id, position, positionCommit);
            SourceInfo src = source(stamp.toEpochMilli(), "false",
                    streamEvent == null ? null : streamEvent.replayId().toBase64(),
                    streamEvent == null ? null : streamEvent.header().changeType(), null, null, null, null, null,
                    null, true);
            if (Boolean.TRUE.equals(row.get(IS_DELETED))) {
                emitDelete(id, src, pos);
            } else {
                emitRow(Envelope.OP_UPDATE, id, row, src, pos);
            }
        });
    }

    /** Deletes since {@code from} found through getDeleted (records purged meanwhile are found by nothing else). */
    private void emitDeletedSince(Instant from, Instant to) throws InterruptedException {
        RestApi.DeletedWindow window = retrying("getDeleted " + object,
                () -> client.rest().deleted(object, from, to.plus(1, ChronoUnit.MINUTES)));
        if (window.earliestDateAvailable() != null && window.earliestDateAvailable().isAfter(from)) {
            LOG.warn("{}: Salesforce keeps deletions only since {}; records deleted between {} and then cannot be "
                    + "found and stay downstream", object, window.earliestDateAvailable(), from);
        }
        // A restart after these resumes with the re-sync that follows the snapshot, from the same point.
        Position pos = Position.resync(to.minus(config.resyncMargin()), null, null, null);
        for (RestApi.Deleted d : window.records()) {
            emitDelete(d.id(), deletedSource(d), pos);
        }
    }

    /** The source block of a deletion getDeleted reported (no change event stands behind it). */
    private SourceInfo deletedSource(RestApi.Deleted d) {
        return source(d.deletedDate() == null ? 0 : d.deletedDate().toEpochMilli(), "false", null, "DELETE", null,
                null, null, null, null, null, true);
    }

    private void runPolled() throws InterruptedException {
        Position p = stored;
        Cursor cursor;
        Instant deletedSince;
        if (p != null && p.phase() == SourceOffsets.Phase.POLL) {
            shared.snapshotOrder().release(object);
            cursor = new Cursor(p.systemModstamp(), p.lastId());
            deletedSince = p.deletedSince() != null ? p.deletedSince() : p.systemModstamp();
        } else if (p == null && config.snapshotMode() == SnapshotMode.NEVER) {
            shared.snapshotOrder().release(object);
            cursor = Cursor.since(Instant.now().minus(config.resyncMargin()));
            deletedSince = cursor.modstamp();
        } else {
            Instant started = snapshot(p != null && p.phase() == SourceOffsets.Phase.SNAPSHOT ? p : null);
            cursor = Cursor.since(started.minus(config.resyncMargin()));
            deletedSince = cursor.modstamp();
        }
        while (!stopping) {
            metrics.phase("polling");
            Instant cycleStart = Instant.now();
            cursor = pollOnce(cursor, deletedSince);
            Instant to = cycleStart;
            Cursor c = cursor;
            Instant ds = deletedSince;
            RestApi.DeletedWindow window = retrying("getDeleted " + object, () -> client.rest().deleted(object, ds,
                    to.plus(1, ChronoUnit.MINUTES)));
            // Keep the window open a margin back: getDeleted has minute granularity.
            Instant nextDeletedSince = to.minus(config.resyncMargin());
            for (RestApi.Deleted d : window.records()) {
                if (polledDeletes.containsKey(d.id())) {
                    continue;
                }
                polledDeletes.put(d.id(), d.deletedDate() != null ? d.deletedDate() : to);
                emitDelete(d.id(), deletedSource(d), Position.poll(c.modstamp(), c.lastId(), nextDeletedSince));
            }
            deletedSince = nextDeletedSince;
            // Salesforce starts the next window at this minute: deletions before it cannot be reported again.
            Instant nextStart = deletedSince.truncatedTo(ChronoUnit.MINUTES);
            polledDeletes.values().removeIf(deletedAt -> deletedAt.isBefore(nextStart));
            if (stopped.await(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    private Cursor pollOnce(Cursor from, Instant deletedSince) throws InterruptedException {
        return readModifiedSince(from, "poll", (id, stamp, row) -> {
            Position pos = Position.poll(stamp, id, deletedSince);
            SourceInfo src = source(stamp.toEpochMilli(), "false", null, null, null, null, null, null, null, null,
                    true);
            if (Boolean.TRUE.equals(row.get(IS_DELETED))) {
                if (polledDeletes.put(id, stamp) == null) {
                    emitDelete(id, src, pos);
                }
            } else {
                polledDeletes.remove(id); // undeleted: a later delete is news again
                emitRow(Envelope.OP_UPDATE, id, row, src, pos);
            }
        });
    }

    // ----------------------------------------------------------------------------------------------- schema, SOQL

    /** (Re)builds the schema from describe; {@code refresh} reads describe again and bumps the version if changed. */
    private void buildSchema(boolean refresh) {
        if (refresh) {
            JsonNode fresh = retrying("describe " + object, () -> client.rest().refreshDescribe(object));
            if (schema != null && fresh.path("fields").equals(describe.path("fields"))) {
                return;
            }
            describe = fresh;
        }
        schemaVersion++;
        FieldFilter filter = config.fieldFilter(object);
        Set<String> blobs = new java.util.HashSet<>();
        for (JsonNode f : describe.path("fields")) {
            if ("base64".equals(f.path("type").asText())) {
                blobs.add(f.path("name").asText());
            }
        }
        // A blob costs a GET per record (and Bulk queries cannot select it): synced only when named explicitly.
        Predicate<String> effective = name -> blobs.contains(name) ? filter.includesByName(name)
                : filter.includes(name);
        schema = ObjectSchema.of(describe, effective, new SchemaOptions(
                config.decimalHandling() == dev.lockstep.source.config.DecimalHandling.PRECISE,
                config.multipicklistHandling() == MultipicklistHandling.ARRAY), topic, schemaVersion);
        if (refresh) {
            LOG.info("{}: schema version {} with {} fields", object, schemaVersion, schema.selectFields().size());
        }
    }

    /** The after fields, plus IsDeleted and SystemModstamp for re-syncs. Blobs come as URLs: see {@link #emitRow}. */
    private String selectList(boolean withSyncFields) {
        Set<String> fields = new LinkedHashSet<>(schema.selectFields());
        if (withSyncFields) {
            fields.add(IS_DELETED);
            fields.add(SYSTEM_MODSTAMP);
        }
        return String.join(", ", fields);
    }

    /** The after fields but blobs, which Bulk queries cannot select: {@link #withBlobUrls} adds their URLs. */
    private String bulkSelectList() {
        List<String> fields = new ArrayList<>(schema.selectFields());
        fields.removeAll(schema.base64Fields());
        return String.join(", ", fields);
    }

    /** A query's rows, typed; fetched lazily, so a refused field surfaces from {@code hasNext()}. */
    private Iterator<Map<String, Object>> typedQuery(String soql, boolean all) {
        return all ? client.rest().queryAllTyped(object, soql) : client.rest().queryTyped(object, soql);
    }

    /**
     * Salesforce refused a field of a query (deleted, or hidden from the connector's user, since the last describe):
     * reads describe again. True when that changed the schema, so the query is worth running again with the new
     * field list; false (the caller fails) when describe still lists the field.
     */
    private boolean refreshedForInvalidField(SalesforceException e) {
        if (!"INVALID_FIELD".equals(e.errorCode())) {
            return false;
        }
        int version = schemaVersion;
        LOG.info("{}: Salesforce refused a field ({}); reading describe again", object, e.getMessage());
        buildSchema(true);
        return schemaVersion != version;
    }


    private static long modstampMillis(Map<String, Object> row) {
        return row.get(SYSTEM_MODSTAMP) instanceof Instant i ? i.toEpochMilli() : System.currentTimeMillis();
    }

    // ----------------------------------------------------------------------------------------------- blobs

    /**
     * The row with the URL of each synced blob replaced by the blob's bytes: one GET per non-null blob; a null blob
     * stays null. The row itself is left as it is.
     *
     * @throws BlobUnavailableException when a blob cannot be downloaded (see {@link #download})
     */
    private Map<String, Object> withBlobContent(String id, Map<String, Object> row) throws InterruptedException {
        Map<String, Object> out = row;
        for (String field : schema.base64Fields()) {
            if (row.get(field) instanceof String url) {
                if (out == row) {
                    out = new HashMap<>(row);
                }
                out.put(field, download(id, field, url));
            }
        }
        return out;
    }

    /**
     * One blob's bytes. The client has already retried what is worth retrying; an exhausted API budget (LIMIT) waits
     * and tries again, as every other call does, and a refused session fails the reader. Anything else — the record
     * or blob gone since it was read, a blob Salesforce keeps failing on — is the record's problem, not the
     * object's: it goes to the error topic with the record.
     */
    private byte[] download(String id, String field, String url) throws InterruptedException {
        while (true) {
            checkStop();
            try {
                byte[] bytes = client.rest().blob(url);
                metrics.blobDownloaded();
                return bytes;
            } catch (SalesforceException e) {
                if (e.category() == ErrorCategory.LIMIT) {
                    backoff("download the " + field + " blob of " + id, e);
                    continue;
                }
                if (e.category() == ErrorCategory.AUTH) {
                    throw fatal("download the " + field + " blob of " + id, e);
                }
                throw new BlobUnavailableException(object + " " + id + ": the blob of field " + field
                        + " could not be downloaded (" + e.getMessage() + "), so the record was not sent. Its "
                        + "next change sends it again; to send it now, rewind the object's offset or take a new "
                        + "snapshot.", e);
            }
        }
    }

    /** A blob that could not be downloaded: its record goes to the error path. */
    private static final class BlobUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BlobUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Bulk rows (which cannot hold blobs) with the URL of each synced blob, read with one SOQL query
     * {@code SELECT Id, <blobs> FROM <Object> WHERE Id IN (...)} for the whole batch; a record deleted since the
     * Bulk job ran gets no URL (its blobs stay null) and its deletion follows in the re-sync after the snapshot.
     */
    private List<Map<String, Object>> withBlobUrls(List<Map<String, Object>> rows) {
        if (schema.base64Fields().isEmpty() || rows.isEmpty()) {
            return rows;
        }
        List<String> ids = rows.stream().map(r -> (String) r.get(Envelope.ID)).toList();
        Map<String, Map<String, Object>> urls = retrying("read the blob URLs of " + ids.size() + " " + object
                + " records", () -> {
                    Map<String, Map<String, Object>> out = new HashMap<>();
                    List<String> blobs = schema.base64Fields(); // anew on each try: describe may have changed
                    if (blobs.isEmpty()) {
                        return out;
                    }
                    Iterator<Map<String, Object>> it = typedQuery("SELECT Id, " + String.join(", ", blobs)
                            + " FROM " + object + " WHERE Id IN " + Soql.list(ids), false);
                    while (it.hasNext()) {
                        Map<String, Object> row = it.next();
                        out.put((String) row.get(Envelope.ID), row);
                    }
                    return out;
                });
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> withUrls = new HashMap<>(row);
            Map<String, Object> found = urls.get((String) row.get(Envelope.ID));
            for (String field : schema.base64Fields()) {
                withUrls.put(field, found == null ? null : found.get(field));
            }
            out.add(withUrls);
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------------- emitting

    /**
     * Emits a queried row (REST, Bulk with {@link #withBlobUrls}, re-reads, re-syncs, polls): its blob URLs are
     * replaced by the blobs' bytes first, so every path that reads a record sends its blobs.
     */
    private void emitRow(String op, String id, Map<String, Object> row, SourceInfo src, Position pos)
            throws InterruptedException {
        Struct after;
        try {
            Map<String, Object> complete = withBlobContent(id, row);
            try {
                after = schema.afterFromRecord(complete);
            } catch (UnknownFieldException e) {
                buildSchema(true);
                after = schema.afterFromRecord(complete);
            }
        } catch (DataException | UnknownFieldException | BlobUnavailableException e) {
            reportError(id, e, null, pos);
            return;
        }
        emit(op, id, after, src, pos);
    }

    private void emit(String op, String id, Struct after, SourceInfo src, Position pos) throws InterruptedException {
        Struct value = schema.envelope(op, after, src.toStruct(), System.currentTimeMillis());
        shared.queue().put(new SourceRecord(partition, pos.toMap(), topic, null, schema.keySchema(), schema.key(id),
                schema.envelopeSchema(), value));
        metrics.emitted(op, src.tsMs());
    }

    private void emitDelete(String id, SourceInfo src, Position pos) throws InterruptedException {
        emit(Envelope.OP_DELETE, id, null, src, pos);
        if (config.deleteHandling() == DeleteHandling.TOMBSTONE) {
            shared.queue().put(new SourceRecord(partition, pos.toMap(), topic, null, schema.keySchema(),
                    schema.key(id), null, null));
        }
    }

    /**
     * A record that cannot be converted, or whose blob cannot be downloaded: never skipped silently. It goes, with
     * the reason, to the error topic {@code <topic.prefix>.errors} (JSON text), to the log and to the
     * {@code record-errors} metric; the stream goes on, so one bad value does not stop the sync of every other
     * record. The error record carries {@code pos}, the
     * position the record itself would have carried, so a restart resumes where it would have.
     */
    private void reportError(String id, RuntimeException e, ChangeEvent event, Position pos)
            throws InterruptedException {
        metrics.error();
        LOG.error("{} {}: the record cannot be sent: {}", object, id, e.getMessage());
        com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode().put("object", object).put("id", id).put("error", e.getMessage())
                .put("topic", topic);
        if (event != null) {
            body.put("replay_id", event.replayId().toBase64()).put("change_type", event.header().changeType());
        }
        shared.queue().put(new SourceRecord(partition, pos.toMap(), config.topicPrefix() + ".errors", null,
                org.apache.kafka.connect.data.Schema.STRING_SCHEMA, id,
                org.apache.kafka.connect.data.Schema.STRING_SCHEMA, body.toString()));
    }

    // ----------------------------------------------------------------------------------------------- retries

    /**
     * Runs a call until it succeeds: RETRIABLE and LIMIT failures (after the client's own retries) wait with capped
     * backoff and try again, counted in the {@code retries} metric; a query field Salesforce refuses makes it read
     * describe again and retry if the schema changed; anything else becomes a ConnectException that tells the
     * operator what failed.
     */
    private <T> T retrying(String what, Callable<T> call) {
        while (true) {
            checkStopUnchecked();
            try {
                T result = call.call();
                failuresInRow = 0;
                return result;
            } catch (SalesforceException e) {
                if (refreshedForInvalidField(e)) {
                    continue;
                }
                if (!e.isRetriable() && e.category() != ErrorCategory.LIMIT) {
                    throw fatal(what, e);
                }
                try {
                    backoff(what, e);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new StopRequested();
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ConnectException(what + " failed: " + e.getMessage(), e);
            }
        }
    }

    private int failuresInRow;

    private void backoff(String what, SalesforceException e) throws InterruptedException {
        metrics.retry();
        failuresInRow++;
        Duration base = config.connection().retryPolicy().base();
        Duration max = config.connection().retryPolicy().cap();
        long wait = Math.min(max.toMillis(), base.toMillis() << Math.min(20, failuresInRow));
        if (e.category() == ErrorCategory.LIMIT) {
            wait = max.toMillis();
        }
        LOG.warn("{}: {} failed ({}: {}); retrying in {} ms", object, what, e.category(), e.getMessage(), wait);
        pause(Duration.ofMillis(wait));
    }

    private void pause(Duration d) throws InterruptedException {
        if (stopped.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new StopRequested();
        }
    }

    private ConnectException fatal(String what, SalesforceException e) {
        return new ConnectException(object + ": " + what + " failed and cannot be retried (" + e.category() + "): "
                + e.getMessage(), e);
    }

    private void checkStop() throws InterruptedException {
        if (stopping) {
            throw new StopRequested();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private void checkStopUnchecked() {
        if (stopping) {
            throw new StopRequested();
        }
    }

    /** Unwinds the reader when the task stops. */
    private static final class StopRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopRequested() {
            super(null, null, false, false);
        }
    }

    // ----------------------------------------------------------------------------------------------- inbox

    /**
     * Where the subscription delivers: a bounded queue the reader drains. Its free room is the credit the
     * subscription may request, so a slow Kafka slows Salesforce delivery instead of growing memory.
     */
    private static final class Inbox implements dev.lockstep.salesforce.client.streaming.EventSink {
        final java.util.concurrent.ArrayBlockingQueue<ChangeEvent> events;
        final CountDownLatch live = new CountDownLatch(1);
        volatile SalesforceException failure;

        Inbox(int capacity) {
            events = new java.util.concurrent.ArrayBlockingQueue<>(capacity);
        }

        @Override
        public int remainingCapacity() {
            return events.remainingCapacity();
        }

        @Override
        public void accept(List<ChangeEvent> batch) {
            live.countDown();
            events.addAll(batch);
        }

        @Override
        public void live() {
            live.countDown();
        }

        @Override
        public void keepalive(ReplayId latest) {
            live.countDown();
        }

        @Override
        public void failed(SalesforceException e) {
            failure = e;
            live.countDown();
        }
    }
}
