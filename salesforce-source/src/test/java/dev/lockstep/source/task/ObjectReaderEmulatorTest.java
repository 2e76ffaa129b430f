package dev.lockstep.source.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.cdc.StoredEvent;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.streaming.ReplayId;
import dev.lockstep.source.SalesforceSourceTask;
import dev.lockstep.source.offsets.SourceOffsets;
import dev.lockstep.source.offsets.SourceOffsets.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The object readers of a real {@link TaskRuntime} against the emulator over Pub/Sub, from no offset and from the
 * offsets a previous run stored: which records come out, and the offsets they carry. Each test reads its own
 * object, so the tests do not see each other's changes.
 */
class ObjectReaderEmulatorTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults()
            .withPubSubPorts(0, 0));

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Emulator emulator;
    private static SalesforceClient client;

    @BeforeAll
    static void connect() {
        emulator = SALESFORCE.emulator();
        // A quiet stream confirms the subscription with its first keepalive: keep the hand-off short.
        emulator.pubsub().setKeepalive(Duration.ofMillis(300));
        client = SalesforceClient.create(SalesforceClient.Config.of(new Credentials.ClientCredentials(
                emulator.baseUri(), EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET)));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    private static Map<String, String> props(String object) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "unit");
        props.put("salesforce.login.url", emulator.baseUri().toString());
        props.put("salesforce.auth.flow", "client_credentials");
        props.put("salesforce.client.id", EmulatorConfig.DEFAULT_CLIENT_ID);
        props.put("salesforce.client.secret", EmulatorConfig.DEFAULT_CLIENT_SECRET);
        props.put("salesforce.pubsub.endpoint", emulator.pubsub().target());
        props.put("salesforce.pubsub.plaintext", "true");
        props.put("object.include.list", object);
        props.put("topic.prefix", "unit");
        props.put("retry.backoff.ms", "100");
        props.put("retry.backoff.max.ms", "1000");
        // No clock skew between the test, the emulator and the reader: re-read exactly what changed since.
        props.put("resync.margin.ms", "0");
        props.put("poll.timeout.ms", "100");
        props.put("max.batch.size", "100");
        props.put("max.queue.size", "1000");
        props.put(SalesforceSourceTask.OBJECTS_CONFIG, object);
        props.put(SalesforceSourceTask.TASK_ID_CONFIG, "0");
        return props;
    }

    /** A task context whose offset reader returns {@code stored}, as Connect would after a restart. */
    private static SourceTaskContext context(Map<Map<String, Object>, Map<String, Object>> stored) {
        OffsetStorageReader reader = new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return stored.get(partition);
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                partitions.forEach(p -> out.put(p, stored.get(p)));
                return out;
            }
        };
        return new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return Map.of();
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return reader;
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }
        };
    }

    private static Map<String, Object> partition(String object) {
        return SourceOffsets.partition(emulator.org().orgId(), object);
    }

    private static String create(String object, String name) {
        return client.rest().create(object, JSON.createObjectNode().put("Name", name));
    }

    /** Bytes no text decoding survives: a PNG-like signature, a NUL, invalid UTF-8. */
    private static final byte[] BINARY = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, (byte) 0xfe, (byte) 0xc3};

    /** A record of {@code object} named {@code name} whose base64 {@code field} holds {@code blob} (null: none). */
    private static String createWithBlob(String object, String nameField, String name, String field, byte[] blob) {
        com.fasterxml.jackson.databind.node.ObjectNode fields = JSON.createObjectNode().put(nameField, name);
        if (blob != null) {
            fields.put(field, Base64.getEncoder().encodeToString(blob));
        }
        return client.rest().create(object, fields);
    }

    /** Adds a custom base64 field to {@code object}, as an admin would in Setup. */
    private static void addBlobField(String object, String field) throws Exception {
        emulator.org().addField(object, JSON.readTree("{\"name\": \"" + field + "\", \"type\": \"base64\", "
                + "\"label\": \"Blob\", \"nillable\": true, \"createable\": true, \"updateable\": true, "
                + "\"custom\": true}"));
    }

    private static Struct after(SourceRecord r) {
        return ((Struct) r.value()).getStruct("after");
    }

    private static ReplayId createEventOf(String id) {
        List<StoredEvent> events = emulator.cdc().eventsOf(id);
        assertThat(events).as("events of %s", id).hasSize(1);
        assertThat(events.get(0).event().changeType()).isEqualTo("CREATE");
        return ReplayId.ofLong(events.get(0).replayId());
    }

    private static Instant systemModstamp(String object, String id) {
        Iterator<Map<String, Object>> rows = client.rest().queryTyped(object,
                "SELECT Id, SystemModstamp FROM " + object + " WHERE Id = '" + id + "'");
        return (Instant) rows.next().get("SystemModstamp");
    }

    private static String op(SourceRecord r) {
        return ((Struct) r.value()).getString("op");
    }

    private static String id(SourceRecord r) {
        return ((Struct) r.key()).getString("Id");
    }

    private static Struct source(SourceRecord r) {
        return ((Struct) r.value()).getStruct("source");
    }

    private static Map<String, Object> offset(SourceRecord r) {
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) r.sourceOffset();
        return o;
    }

    private static String describe(List<SourceRecord> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(r.value() == null ? id(r) + " tombstone"
                : r.value() instanceof String error ? r.topic() + " " + r.key() + " " + error
                : op(r) + " " + id(r) + " " + r.sourceOffset()));
        return out.toString();
    }

    /** Polls the task into {@code got} until {@code done} holds, within {@link #BOUND}. */
    private static void pollUntil(TaskRuntime runtime, List<SourceRecord> got, Predicate<List<SourceRecord>> done,
            String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!done.test(got)) {
            assertThat(System.nanoTime() - deadline < 0).as("%s within %s; got %s", what, BOUND, describe(got))
                    .isTrue();
            List<SourceRecord> batch = runtime.poll();
            if (batch != null) {
                got.addAll(batch);
            }
        }
    }

    /** Polls the task into {@code got} until {@code condition} holds, within {@link #BOUND}. */
    private static void pollWhile(TaskRuntime runtime, List<SourceRecord> got, BooleanSupplier condition,
            String what) throws InterruptedException {
        pollUntil(runtime, got, ignored -> condition.getAsBoolean(), what);
    }

    private static boolean streaming(TaskRuntime runtime, String object) {
        return inPhase(runtime, object, "streaming");
    }

    private static boolean inPhase(TaskRuntime runtime, String object, String phase) {
        try {
            ObjectMetrics m = runtime.metrics().get(object);
            return m != null && phase.equals(m.phase());
        } catch (java.util.ConcurrentModificationException e) {
            return false; // the readers are being created
        }
    }

    @Test
    void withoutAnOffsetEveryRecordIsSnapshotThenChangesStream() throws Exception {
        String object = "Campaign";
        List<String> ids = new ArrayList<>(List.of(create(object, "one"), create(object, "two"),
                create(object, "three")));
        ids.sort(null);
        Instant before = Instant.now();
        TaskRuntime runtime = TaskRuntime.start(props(object), context(Map.of()));
        try {
            List<SourceRecord> got = new ArrayList<>();
            pollUntil(runtime, got, g -> g.size() >= 3, "the snapshot");
            assertThat(got).extracting(ObjectReaderEmulatorTest::op).containsExactly("r", "r", "r");
            assertThat(got).extracting(ObjectReaderEmulatorTest::id).containsExactlyElementsOf(ids);
            assertThat(got).extracting(r -> source(r).getString("snapshot")).containsExactly("true", "true", "last");
            long started = (Long) offset(got.get(0)).get(SourceOffsets.SNAPSHOT_STARTED);
            assertThat(started).isGreaterThanOrEqualTo(before.toEpochMilli());
            for (int i = 0; i < 3; i++) {
                SourceRecord r = got.get(i);
                assertThat(r.sourcePartition()).isEqualTo(partition(object));
                assertThat(r.topic()).isEqualTo("unit.Campaign");
                assertThat(offset(r)).isEqualTo(Position.snapshotRest(Instant.ofEpochMilli(started), ids.get(i),
                        i + 1, 3).toMap());
            }

            pollWhile(runtime, got, () -> streaming(runtime, object), "the hand-off to the stream");
            String streamed = create(object, "four");
            ReplayId replayId = createEventOf(streamed);
            pollUntil(runtime, got, g -> g.size() >= 4, "the created record");
            assertThat(got).as(describe(got)).hasSize(4);
            SourceRecord created = got.get(3);
            assertThat(op(created)).isEqualTo("c");
            assertThat(id(created)).isEqualTo(streamed);
            assertThat(source(created).getString("replay_id")).isEqualTo(replayId.toBase64());
            assertThat(offset(created)).containsEntry(SourceOffsets.PHASE, "stream")
                    .containsEntry(SourceOffsets.REPLAY_ID, replayId.toBase64())
                    .containsKey(SourceOffsets.COMMIT_TS);
        } finally {
            runtime.stop();
        }
    }

    @Test
    void partialModeReReadsOnlyTheChangesThatChangeAValueEventsDoNotCarry() throws Exception {
        String object = "Lead";
        Map<String, String> props = props(object);
        props.put("update.mode", "partial");
        props.put("field.include.list", "Lead.Id,Lead.Name,Lead.FirstName,Lead.LastName,Lead.Company,Lead.Email");
        TaskRuntime runtime = TaskRuntime.start(props, context(Map.of()));
        try {
            List<SourceRecord> got = new ArrayList<>();
            pollWhile(runtime, got, () -> streaming(runtime, object), "the hand-off to the stream");
            got.clear();
            long queries = emulator.counters().snapshot().getOrDefault("rest.query", 0L);
            String lead = client.rest().create(object, JSON.createObjectNode().put("FirstName", "Ada")
                    .put("LastName", "Lovelace").put("Company", "Analytical Engines"));
            pollUntil(runtime, got, g -> g.size() >= 1, "the created lead");
            assertThat(op(got.get(0))).isEqualTo("c");
            assertThat(after(got.get(0)).getString("Name")).as("a Lead's Name is only read, never in events")
                    .isEqualTo("Ada Lovelace");
            assertThat(source(got.get(0)).getBoolean("complete")).isTrue();

            client.rest().update(object, lead, JSON.createObjectNode().put("Email", "ada@example.com"));
            pollUntil(runtime, got, g -> g.size() >= 2, "the e-mail update");
            assertThat(source(got.get(1)).getBoolean("complete")).as("an update of other fields stays partial")
                    .isFalse();
            long afterEmail = emulator.counters().snapshot().getOrDefault("rest.query", 0L);

            client.rest().update(object, lead, JSON.createObjectNode().put("LastName", "King"));
            pollUntil(runtime, got, g -> g.size() >= 3, "the last-name update");
            assertThat(after(got.get(2)).getString("Name")).isEqualTo("Ada King");
            assertThat(afterEmail - queries).as("queries for the create and the e-mail update").isEqualTo(1);
            assertThat(emulator.counters().snapshot().getOrDefault("rest.query", 0L) - afterEmail)
                    .as("queries for the last-name update").isEqualTo(1);
        } finally {
            runtime.stop();
        }
    }

    @Test
    void aStoredStreamOffsetResumesAfterItsReplayId() throws Exception {
        String object = "Product2";
        String seen = create(object, "already sent");
        String missed = create(object, "sent while the task was down");
        ReplayId seenEvent = createEventOf(seen);
        ReplayId missedEvent = createEventOf(missed);
        Map<Map<String, Object>, Map<String, Object>> stored = Map.of(partition(object),
                Position.stream(seenEvent, Instant.now()).toMap());
        TaskRuntime runtime = TaskRuntime.start(props(object), context(stored));
        try {
            List<SourceRecord> got = new ArrayList<>();
            pollUntil(runtime, got, g -> !g.isEmpty(), "the change made while the task was down");
            String later = create(object, "sent after the restart");
            ReplayId laterEvent = createEventOf(later);
            pollUntil(runtime, got, g -> g.size() >= 2, "the change made after the restart");

            assertThat(got).as(describe(got)).hasSize(2);
            assertThat(got).extracting(ObjectReaderEmulatorTest::op).containsExactly("c", "c");
            assertThat(got).extracting(ObjectReaderEmulatorTest::id).containsExactly(missed, later);
            assertThat(offset(got.get(0))).containsEntry(SourceOffsets.REPLAY_ID, missedEvent.toBase64());
            assertThat(offset(got.get(1))).containsEntry(SourceOffsets.REPLAY_ID, laterEvent.toBase64());
        } finally {
            runtime.stop();
        }
    }

    @Test
    void aStoredResyncOffsetResumesTheCursorThenStreams() throws Exception {
        String object = "Pricebook2";
        String done = create(object, "re-read before the restart");
        String next = create(object, "not re-read yet");
        String last = create(object, "not re-read yet either");
        Instant doneStamp = systemModstamp(object, done);
        Map<Map<String, Object>, Map<String, Object>> stored = Map.of(partition(object),
                Position.resync(doneStamp, done, null, null).toMap());
        TaskRuntime runtime = TaskRuntime.start(props(object), context(stored));
        try {
            List<SourceRecord> got = new ArrayList<>();
            pollUntil(runtime, got, g -> g.size() >= 2, "the rest of the re-sync");
            assertThat(got).extracting(ObjectReaderEmulatorTest::op).containsExactly("u", "u");
            assertThat(got).extracting(ObjectReaderEmulatorTest::id).containsExactly(next, last);
            assertThat(got).extracting(r -> source(r).getBoolean("complete")).containsExactly(true, true);
            assertThat(offset(got.get(0))).isEqualTo(Position.resync(systemModstamp(object, next), next, null,
                    null).toMap());
            assertThat(offset(got.get(1))).isEqualTo(Position.resync(systemModstamp(object, last), last, null,
                    null).toMap());

            pollWhile(runtime, got, () -> streaming(runtime, object), "the stream after the re-sync");
            String streamed = create(object, "streamed");
            pollUntil(runtime, got, g -> g.size() >= 3, "the created record");
            assertThat(got).as(describe(got)).hasSize(3);
            assertThat(op(got.get(2))).isEqualTo("c");
            assertThat(id(got.get(2))).isEqualTo(streamed);
            assertThat(offset(got.get(2))).containsEntry(SourceOffsets.PHASE, "stream")
                    .containsEntry(SourceOffsets.REPLAY_ID, createEventOf(streamed).toBase64());
        } finally {
            runtime.stop();
        }
    }

    @Test
    void aFieldDeletedInSalesforceIsDroppedWhenAQueryNamesIt() throws Exception {
        String object = "Case";
        String id = client.rest().create(object, JSON.createObjectNode().put("Subject", "gap")
                .put("Description", "about to go"));
        // Streaming from now on: no snapshot, and no event (whose schema id would announce the change) before the gap.
        Map<Map<String, Object>, Map<String, Object>> stored = Map.of(partition(object),
                Position.stream(ReplayId.ofLong(emulator.cdc().latestReplayId()), Instant.now()).toMap());
        TaskRuntime runtime = TaskRuntime.start(props(object), context(stored));
        try {
            List<SourceRecord> got = new ArrayList<>();
            pollWhile(runtime, got, () -> streaming(runtime, object), "the stream");
            emulator.org().removeField(object, "Description");
            emulator.cdc().injectGap(object, "GAP_UPDATE", List.of(id));
            pollUntil(runtime, got, g -> !g.isEmpty(), "the re-read of the gap's record");

            assertThat(got).as(describe(got)).hasSize(1);
            SourceRecord reread = got.get(0);
            assertThat(op(reread)).isEqualTo("u");
            assertThat(id(reread)).isEqualTo(id);
            Struct after = ((Struct) reread.value()).getStruct("after");
            assertThat(after.getString("Subject")).isEqualTo("gap");
            assertThat(after.schema().field("Description")).as("the deleted field").isNull();
        } finally {
            runtime.stop();
        }
    }

    @Test
    void blobsNamedInTheIncludeListAreSnapshotAndStreamedAsTheirBytes() throws Exception {
        String object = "Sync_Sample__c";
        String withBlob = createWithBlob(object, "Name", "with", "Attachment__c", BINARY);
        String without = createWithBlob(object, "Name", "without", "Attachment__c", null);
        Map<String, String> props = props(object);
        props.put("field.include.list", "Sync_Sample__c.Name,Sync_Sample__c.Attachment__c");
        TaskRuntime runtime = TaskRuntime.start(props, context(Map.of()));
        try {
            List<SourceRecord> got = new ArrayList<>();
            pollUntil(runtime, got, g -> g.size() >= 2, "the snapshot");
            Map<String, Struct> snapshot = new HashMap<>();
            got.forEach(r -> snapshot.put(id(r), after(r)));
            assertThat(snapshot.get(withBlob).getBytes("Attachment__c")).isEqualTo(BINARY);
            assertThat(snapshot.get(without).getBytes("Attachment__c")).isNull();
            assertThat(runtime.metrics().get(object).blobDownloads()).as("one GET, for the non-null blob")
                    .isEqualTo(1);

            pollWhile(runtime, got, () -> streaming(runtime, object), "the hand-off to the stream");
            byte[] created = {0, 1, 2, (byte) 0x80};
            String streamed = createWithBlob(object, "Name", "streamed", "Attachment__c", created);
            byte[] replaced = {(byte) 0xfe, (byte) 0xed};
            client.rest().update(object, withBlob, JSON.createObjectNode().put("Attachment__c",
                    Base64.getEncoder().encodeToString(replaced)));
            client.rest().update(object, streamed, JSON.createObjectNode().putNull("Attachment__c"));
            pollUntil(runtime, got, g -> g.size() >= 5, "a create and two updates");

            assertThat(got).as(describe(got)).hasSize(5);
            assertThat(op(got.get(2))).isEqualTo("c");
            assertThat(after(got.get(2)).getBytes("Attachment__c")).isEqualTo(created);
            assertThat(id(got.get(3))).isEqualTo(withBlob);
            assertThat(source(got.get(3)).getArray("changed_fields")).contains("Attachment__c");
            assertThat(after(got.get(3)).getBytes("Attachment__c")).isEqualTo(replaced);
            assertThat(id(got.get(4))).isEqualTo(streamed);
            assertThat(source(got.get(4)).getArray("nulled_fields")).contains("Attachment__c");
            assertThat(after(got.get(4)).getBytes("Attachment__c")).isNull();
            assertThat(runtime.metrics().get(object).blobDownloads()).as("change events carry the bytes")
                    .isEqualTo(1);
        } finally {
            runtime.stop();
        }

        TaskRuntime unnamed = TaskRuntime.start(props(object), context(Map.of()));
        try {
            List<SourceRecord> got = new ArrayList<>();
            pollUntil(unnamed, got, g -> g.size() >= 3, "the snapshot without the blob");
            assertThat(got).allSatisfy(r -> assertThat(after(r).schema().field("Attachment__c"))
                    .as("a blob not named in field.include.list").isNull());
            assertThat(after(got.get(0)).schema().field("Name")).isNotNull();
            assertThat(unnamed.metrics().get(object).blobDownloads()).isZero();
        } finally {
            unnamed.stop();
        }
    }

    @Test
    void aBulkSnapshotReadsTheBlobUrlsOfEachBatchWithOneQueryAndDownloadsTheBlobs() throws Exception {
        String object = "Lead";
        addBlobField(object, "Photo__c");
        List<String> ids = new ArrayList<>();
        List<byte[]> blobs = java.util.Arrays.asList(BINARY, null, new byte[] {7}, new byte[] {(byte) 0xff});
        for (int i = 0; i < blobs.size(); i++) {
            String id = client.rest().create(object, JSON.createObjectNode().put("LastName", "bulk " + i)
                    .put("Company", "C"));
            if (blobs.get(i) != null) {
                client.rest().update(object, id, JSON.createObjectNode().put("Photo__c",
                        Base64.getEncoder().encodeToString(blobs.get(i))));
            }
            ids.add(id);
        }
        Map<String, String> props = props(object);
        props.put("field.include.list", "Lead.LastName,Lead.Photo__c");
        props.put("snapshot.bulk.threshold", "0");
        props.put("reread.batch.size", "3");
        TaskRuntime runtime = TaskRuntime.start(props, context(Map.of()));
        try {
            List<SourceRecord> got = new ArrayList<>();
            pollUntil(runtime, got, g -> g.size() >= 4, "the Bulk snapshot");

            assertThat(got).as(describe(got)).hasSize(4);
            assertThat(offset(got.get(0))).containsKey(SourceOffsets.JOB);
            assertThat(got).extracting(r -> source(r).getString("snapshot")).containsExactly("true", "true", "true",
                    "last");
            for (SourceRecord r : got) {
                assertThat(after(r).getBytes("Photo__c")).as("the blob of %s", id(r))
                        .isEqualTo(blobs.get(ids.indexOf(id(r))));
            }
            assertThat(runtime.metrics().get(object).blobDownloads()).isEqualTo(3);
        } finally {
            runtime.stop();
        }
    }

    @Test
    void polledRowsCarryTheirBlobs() throws Exception {
        String object = "Contact";
        addBlobField(object, "Signature__c");
        Map<String, String> props = props(object);
        props.put("field.include.list", "Contact.LastName,Contact.Signature__c");
        props.put("object.poll.list", object);
        props.put("poll.interval.ms", "1000");
        props.put("snapshot.mode", "never");
        TaskRuntime runtime = TaskRuntime.start(props, context(Map.of()));
        try {
            List<SourceRecord> got = new ArrayList<>();
            pollWhile(runtime, got, () -> inPhase(runtime, object, "polling"), "the first poll");
            String id = createWithBlob(object, "LastName", "polled", "Signature__c", BINARY);
            pollUntil(runtime, got, g -> !g.isEmpty(), "the polled record");

            assertThat(got).as(describe(got)).hasSize(1);
            assertThat(id(got.get(0))).isEqualTo(id);
            assertThat(op(got.get(0))).isEqualTo("u");
            assertThat(after(got.get(0)).getBytes("Signature__c")).isEqualTo(BINARY);
        } finally {
            runtime.stop();
        }
    }

    @Test
    void aBlobThatCannotBeDownloadedSendsItsRecordToTheErrorTopic() throws Exception {
        String object = "Account";
        addBlobField(object, "Logo__c");
        List<String> ids = new ArrayList<>(List.of(createWithBlob(object, "Name", "a", "Logo__c", BINARY),
                createWithBlob(object, "Name", "b", "Logo__c", BINARY)));
        ids.sort(null);
        Map<String, String> props = props(object);
        props.put("field.include.list", "Account.Name,Account.Logo__c");
        props.put("retry.max.attempts", "1");
        // The first download and its one retry fail: the blob GET is a rest.sobject call in the emulator.
        emulator.faults().failWithStatus("rest.sobject", 2, 500);
        TaskRuntime runtime = TaskRuntime.start(props, context(Map.of()));
        try {
            List<SourceRecord> got = new ArrayList<>();
            pollUntil(runtime, got, g -> g.size() >= 2, "the error and the other record");

            assertThat(got).as(describe(got)).hasSize(2);
            SourceRecord error = got.get(0);
            assertThat(error.topic()).isEqualTo("unit.errors");
            assertThat(error.key()).isEqualTo(ids.get(0));
            assertThat(JSON.readTree((String) error.value()).path("error").asText())
                    .contains(ids.get(0), "Logo__c", "HTTP 500");
            assertThat(offset(error)).isEqualTo(Position.snapshotRest(Instant.ofEpochMilli(
                    (Long) offset(error).get(SourceOffsets.SNAPSHOT_STARTED)), ids.get(0), 1, 2).toMap());
            assertThat(id(got.get(1))).isEqualTo(ids.get(1));
            assertThat(after(got.get(1)).getBytes("Logo__c")).isEqualTo(BINARY);
            assertThat(runtime.metrics().get(object).errors()).isEqualTo(1);
        } finally {
            runtime.stop();
            emulator.faults().clear();
        }
    }
}
