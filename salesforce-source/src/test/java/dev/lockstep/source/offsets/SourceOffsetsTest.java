package dev.lockstep.source.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.salesforce.client.streaming.ReplayId;
import dev.lockstep.source.offsets.SourceOffsets.InvalidOffsetException;
import dev.lockstep.source.offsets.SourceOffsets.Phase;
import dev.lockstep.source.offsets.SourceOffsets.Position;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceOffsetsTest {

    private static final String ORG = "00D000000000001AAA";
    private static final String ID = "001000000000001AAA";
    private static final Instant T1 = Instant.ofEpochMilli(1_700_000_000_123L);
    private static final Instant T2 = Instant.ofEpochMilli(1_700_000_360_456L);
    private static final ReplayId REPLAY = ReplayId.ofLong(12_345L);

    /** The map as Connect gives it back: JSON numbers as Long, strings as String. */
    private static Map<String, Object> asStored(Map<String, Object> offset) {
        Map<String, Object> m = new HashMap<>();
        offset.forEach((k, v) -> m.put(k, v instanceof Number n ? (Object) n.longValue() : v));
        return m;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void everyPhaseRoundTripsThroughItsOffsetMap() {
        List<Position> positions = List.of(
                Position.snapshotRest(T1, ID, 10, 250),
                Position.snapshotRest(T1, null, 0, 0),
                Position.snapshotBulk(T1, "750000000000001AAA", "MTAwMDA", 42, 10_042, 50_000),
                Position.snapshotBulk(T1, "750000000000001AAA", null, 7, 7, 50_000),
                Position.resync(T2, ID, REPLAY, T1),
                Position.resync(T2, null, null, null),
                Position.stream(REPLAY, T2),
                Position.stream(ReplayId.of(new byte[] {1, 2, 3}), null),
                Position.poll(T2, ID, T1),
                Position.poll(T2, null, null));
        for (Position p : positions) {
            Map<String, Object> stored = asStored(p.toMap());
            assertThat(Position.parse(stored)).as("%s", stored).isEqualTo(p);
            assertThat(stored.get(SourceOffsets.PHASE)).isEqualTo(p.phase().value());
        }
    }

    @Test
    void offsetMapsHoldOnlyTheKeysTheirPhaseUses() {
        assertThat(Position.stream(REPLAY, T2).toMap()).containsOnlyKeys("phase", "replay_id", "commit_ts")
                .containsEntry("replay_id", REPLAY.toBase64()).containsEntry("commit_ts", T2.toEpochMilli());
        assertThat(Position.snapshotRest(T1, ID, 1, 2).toMap())
                .containsOnlyKeys("phase", "snapshot_started", "last_id", "done", "total")
                .containsEntry("phase", "snapshot").containsEntry("snapshot_started", T1.toEpochMilli());
        assertThat(Position.snapshotBulk(T1, "750000000000001AAA", "L", 3, 4, 5).toMap())
                .containsOnlyKeys("phase", "snapshot_started", "job", "locator", "row", "done", "total");
        assertThat(Position.resync(T2, ID, null, null).toMap())
                .containsOnlyKeys("phase", "systemmodstamp", "last_id");
        assertThat(Position.poll(T2, ID, T1).toMap())
                .containsOnlyKeys("phase", "systemmodstamp", "last_id", "deleted_since");
    }

    @Test
    void partitionRoundTripsAndNamesTheObject() {
        Map<String, Object> partition = SourceOffsets.partition(ORG, "Account");
        assertThat(partition).containsOnly(Map.entry("v", 1), Map.entry("org", ORG),
                Map.entry("object", "Account"));
        assertThat(SourceOffsets.validatePartition(partition)).isEqualTo("Account");
        // As Connect gives it back: the version as a Long.
        assertThat(SourceOffsets.validatePartition(asStored(partition))).isEqualTo("Account");
        assertThat(SourceOffsets.validatePartition(SourceOffsets.partition("00D000000000001", "Invoice__c")))
                .isEqualTo("Invoice__c");
    }

    @Test
    void validatePartitionRefusesWhatNoTaskWrote() {
        assertThatThrownBy(() -> SourceOffsets.validatePartition(null))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> SourceOffsets.validatePartition(map("v", 2, "org", ORG, "object", "Account")))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'v' must be 1");
        assertThatThrownBy(() -> SourceOffsets.validatePartition(map("v", "1", "org", ORG, "object", "Account")))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'v'");
        assertThatThrownBy(() -> SourceOffsets.validatePartition(map("org", ORG, "object", "Account")))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'v'");
        assertThatThrownBy(() -> SourceOffsets.validatePartition(map("v", 1, "org", "001000000000001",
                "object", "Account"))).isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'org'");
        assertThatThrownBy(() -> SourceOffsets.validatePartition(map("v", 1, "object", "Account")))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'org'");
        assertThatThrownBy(() -> SourceOffsets.validatePartition(map("v", 1, "org", ORG, "object", "Account; x")))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'object'");
        assertThatThrownBy(() -> SourceOffsets.validatePartition(map("v", 1, "org", ORG)))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'object'");
        assertThatThrownBy(() -> SourceOffsets.validatePartition(map("v", 1, "org", ORG, "object", "Account",
                "extra", "x"))).isInstanceOf(InvalidOffsetException.class).hasMessageContaining("other than");
    }

    @Test
    void parseRefusesAnUnknownOrMissingPhase() {
        assertThatThrownBy(() -> Position.parse(map("phase", "streaming", "replay_id", REPLAY.toBase64())))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("phase")
                .hasMessageContaining("streaming");
        assertThatThrownBy(() -> Position.parse(map("replay_id", REPLAY.toBase64())))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("phase");
        assertThatThrownBy(() -> Position.parse(map("phase", "STREAM", "replay_id", REPLAY.toBase64())))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("phase");
    }

    @Test
    void parseRefusesNegativeOrNonNumericNumbersNamingTheKey() {
        for (String key : List.of("snapshot_started", "done", "total")) {
            Map<String, Object> offset = map("phase", "snapshot", "snapshot_started", 1L, "done", 1L, "total", 1L);
            offset.put(key, -1L);
            assertThatThrownBy(() -> Position.parse(offset)).as(key).isInstanceOf(InvalidOffsetException.class)
                    .hasMessageContaining("'" + key + "'");
        }
        assertThatThrownBy(() -> Position.parse(map("phase", "snapshot", "snapshot_started", 1L,
                "job", "750000000000001AAA", "row", -5L)))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'row'");
        assertThatThrownBy(() -> Position.parse(map("phase", "resync", "systemmodstamp", -1L)))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'systemmodstamp'");
        assertThatThrownBy(() -> Position.parse(map("phase", "resync", "systemmodstamp", "yesterday")))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'systemmodstamp'");
        assertThatThrownBy(() -> Position.parse(map("phase", "stream", "replay_id", REPLAY.toBase64(),
                "commit_ts", -2L))).isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'commit_ts'");
        assertThatThrownBy(() -> Position.parse(map("phase", "poll", "systemmodstamp", 1L, "deleted_since", -3L)))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'deleted_since'");
    }

    @Test
    void parseRefusesAReplayIdThatIsNotBase64() {
        for (Object bad : List.of("not base64!", "", 12345L)) {
            assertThatThrownBy(() -> Position.parse(map("phase", "stream", "replay_id", bad))).as("%s", bad)
                    .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'replay_id'");
        }
        // Also in a resync offset, where it is optional.
        assertThatThrownBy(() -> Position.parse(map("phase", "resync", "systemmodstamp", 1L, "replay_id", "%%%")))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'replay_id'");
    }

    @Test
    void parseRefusesALastIdThatIsNotARecordId() {
        for (Object bad : List.of("001000000000001AA", "001-00000000001AAA", "", 7L, "001000000000001AAA' OR 'x")) {
            assertThatThrownBy(() -> Position.parse(map("phase", "resync", "systemmodstamp", 1L, "last_id", bad)))
                    .as("%s", bad).isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'last_id'");
        }
        assertThat(Position.parse(map("phase", "poll", "systemmodstamp", 1L, "last_id", "001000000000001"))
                .lastId()).isEqualTo("001000000000001");
    }

    @Test
    void parseRefusesABulkJobThatIsNotAnIdOrAnEmptyLocator() {
        for (Object bad : List.of("", "job-1", "../750000000000001", 750L)) {
            assertThatThrownBy(() -> Position.parse(map("phase", "snapshot", "snapshot_started", 1L, "job", bad,
                    "row", 1L))).as("%s", bad).isInstanceOf(InvalidOffsetException.class)
                    .hasMessageContaining("'job'");
        }
        assertThatThrownBy(() -> Position.parse(map("phase", "snapshot", "snapshot_started", 1L,
                "job", "750000000000001AAA", "locator", 5L, "row", 1L)))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'locator'");
    }

    @Test
    void parseRefusesAnOffsetWithoutTheKeyItsPhaseNeeds() {
        assertThatThrownBy(() -> Position.parse(map("phase", "snapshot", "last_id", ID)))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'snapshot_started'");
        assertThatThrownBy(() -> Position.parse(map("phase", "snapshot", "snapshot_started", 1L,
                "job", "750000000000001AAA")))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'row'");
        assertThatThrownBy(() -> Position.parse(map("phase", "resync", "last_id", ID)))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'systemmodstamp'");
        assertThatThrownBy(() -> Position.parse(map("phase", "stream", "commit_ts", 1L)))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'replay_id'");
        assertThatThrownBy(() -> Position.parse(map("phase", "poll", "deleted_since", 1L)))
                .isInstanceOf(InvalidOffsetException.class).hasMessageContaining("'systemmodstamp'");
    }

    @Test
    void parseAcceptsWhatAnOperatorWritesByHand() {
        Position p = Position.parse(map("phase", "stream", "replay_id", "AAAAAAAAMDk="));
        assertThat(p.phase()).isEqualTo(Phase.STREAM);
        assertThat(p.replayId()).isEqualTo(ReplayId.ofLong(12_345L));
        assertThat(p.commitTs()).isNull();
        // Integers (as a hand-written JSON body may give them) are as good as longs.
        assertThat(Position.parse(map("phase", "resync", "systemmodstamp", 1_000)).systemModstamp())
                .isEqualTo(Instant.ofEpochMilli(1_000));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void partitionSerializesAlikeAfterTheRoundTripOfConnectsOffsetsApi() throws Exception {
        Map<String, Object> partition = SourceOffsets.partition("00DLk0000000001MAA", "Account");
        String written = JSON.writeValueAsString(partition);

        // Connect's JSON converter reads a schemaless object into a new HashMap, in the JSON's order.
        Map<String, Object> readBack = new HashMap<>();
        JSON.readValue(written, new TypeReference<LinkedHashMap<String, Object>>() {})
                .forEach(readBack::put);

        assertThat(JSON.writeValueAsString(readBack)).isEqualTo(written);
        assertThat(SourceOffsets.validatePartition(readBack)).isEqualTo("Account");
    }
}
