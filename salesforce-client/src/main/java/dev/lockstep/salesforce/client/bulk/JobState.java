package dev.lockstep.salesforce.client.bulk;

/**
 * The states of a Bulk API 2.0 job (reference §4.1): ingest jobs go Open → UploadComplete → InProgress →
 * JobComplete or Failed, query jobs start at UploadComplete; a client may abort either before it ends.
 */
public enum JobState {
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

    /** The name Salesforce uses in JobInfo. */
    public String wire() {
        return wire;
    }

    /** True for the states a job never leaves. */
    public boolean terminal() {
        return this == JOB_COMPLETE || this == FAILED || this == ABORTED;
    }

    /** @throws IllegalArgumentException for a state this client does not know */
    public static JobState fromWire(String wire) {
        for (JobState s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown Bulk job state: " + wire);
    }
}
