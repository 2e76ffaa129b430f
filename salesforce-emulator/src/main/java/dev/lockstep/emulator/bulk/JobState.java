package dev.lockstep.emulator.bulk;

import java.util.Optional;

/**
 * The states of a Bulk API 2.0 job as the wire spells them. Ingest jobs go Open → UploadComplete → InProgress →
 * JobComplete or Failed; query jobs start at UploadComplete. A client may abort a job that has not finished.
 */
enum JobState {
    OPEN("Open"),
    UPLOAD_COMPLETE("UploadComplete"),
    IN_PROGRESS("InProgress"),
    JOB_COMPLETE("JobComplete"),
    FAILED("Failed"),
    ABORTED("Aborted");

    private final String wire;

    JobState(String wire) {
        this.wire = wire;
    }

    /** The name in JobInfo's {@code state}, e.g. {@code UploadComplete}. */
    String wire() {
        return wire;
    }

    /** JobComplete, Failed and Aborted: nothing happens to the job any more, and it expires after 7 days. */
    boolean terminal() {
        return this == JOB_COMPLETE || this == FAILED || this == ABORTED;
    }

    /** The state named exactly (case-sensitively, as Salesforce's JSON enums are) by {@code wire}. */
    static Optional<JobState> fromWire(String wire) {
        for (JobState state : values()) {
            if (state.wire.equals(wire)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
