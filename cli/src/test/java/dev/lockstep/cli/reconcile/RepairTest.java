package dev.lockstep.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.salesforce.client.streaming.ReplayId;
import dev.lockstep.source.offsets.SourceOffsets.Phase;
import dev.lockstep.source.offsets.SourceOffsets.Position;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RepairTest {

    private static final Instant FROM = Instant.parse("2026-04-01T08:00:00Z");
    private static final ReplayId REPLAY = ReplayId.of(new byte[] {0, 0, 0, 0, 0, 0, 48, 57});
    private static final Instant COMMIT = Instant.parse("2026-04-02T09:30:00Z");

    @Test
    void aStreamedObjectResyncsFromThePointAndThenStreamsOnAfterItsReplayPosition() {
        Position rewound = Repair.rewind(Position.stream(REPLAY, COMMIT), FROM);

        assertThat(rewound.phase()).isEqualTo(Phase.RESYNC);
        assertThat(rewound.systemModstamp()).isEqualTo(FROM);
        assertThat(rewound.lastId()).isNull();
        assertThat(rewound.replayId()).isEqualTo(REPLAY);
        assertThat(rewound.commitTs()).isEqualTo(COMMIT);
        assertThat(Position.parse(rewound.toMap())).as("what the connector's alterOffsets accepts")
                .isEqualTo(rewound);
    }

    @Test
    void aResyncUnderWayStartsAtTheEarlierPointAndKeepsItsReplayPosition() {
        Position current = Position.resync(FROM.minusSeconds(3600), "001000000000001AAA", REPLAY, COMMIT);
        Position rewound = Repair.rewind(current, FROM);

        assertThat(rewound.systemModstamp()).isEqualTo(FROM.minusSeconds(3600));
        assertThat(rewound.lastId()).as("from the start of that point, not mid-way").isNull();
        assertThat(rewound.replayId()).isEqualTo(REPLAY);
        assertThat(Repair.rewind(Position.resync(FROM.plusSeconds(60), null, null, null), FROM).systemModstamp())
                .isEqualTo(FROM);
    }

    @Test
    void aPolledObjectMovesItsCursorBackNeverForward() {
        Position later = Position.poll(FROM.plusSeconds(600), "001000000000001AAA", FROM.plusSeconds(500));
        Position rewound = Repair.rewind(later, FROM);
        assertThat(rewound.phase()).isEqualTo(Phase.POLL);
        assertThat(rewound.systemModstamp()).isEqualTo(FROM);
        assertThat(rewound.lastId()).isNull();
        assertThat(rewound.deletedSince()).isEqualTo(FROM);

        Position earlier = Position.poll(FROM.minusSeconds(600), null, FROM.minusSeconds(700));
        assertThat(Repair.rewind(earlier, FROM).systemModstamp()).isEqualTo(FROM.minusSeconds(600));
        assertThat(Repair.rewind(earlier, FROM).deletedSince()).isEqualTo(FROM.minusSeconds(700));
    }

    @Test
    void anObjectStillSnapshottingIsNotRewoundButOneWhoseSnapshotIsReadIs() {
        assertThat(Repair.rewind(Position.snapshotRest(FROM, "001000000000010AAA", 10, 100), FROM)).isNull();

        Position read = Repair.rewind(Position.snapshotRest(FROM, "001000000000100AAA", 100, 100),
                FROM.plusSeconds(60));
        assertThat(read.phase()).isEqualTo(Phase.RESYNC);
        assertThat(read.systemModstamp()).isEqualTo(FROM.plusSeconds(60));
        assertThat(read.replayId()).as("streams from the newest event after the re-read").isNull();
    }
}
