package dev.lockstep.emulator.formula;

import dev.lockstep.emulator.org.RecordView;
import java.time.Clock;
import java.time.Instant;

/**
 * What one evaluation of a formula sees: the record and the org's clock. {@link #now()} is read once per
 * evaluation so that {@code NOW()} and {@code TODAY()} agree within one formula.
 */
final class Env {

    final RecordView record;
    private final Clock clock;
    private Instant now;

    Env(RecordView record, Clock clock) {
        this.record = record;
        this.clock = clock;
    }

    Instant now() {
        if (now == null) {
            now = Instant.ofEpochMilli(clock.millis());
        }
        return now;
    }
}
