package dev.lockstep.source.config;

/** What to do when the stored replay position is older than the event retention ({@code replay.expired.policy}). */
public enum ReplayExpiredPolicy implements ConfigEnum {
    /** Snapshot the object again, finding the records deleted meanwhile. */
    RESNAPSHOT,

    /** Stream from the newest event; changes made in between are lost. */
    LATEST,

    /** Stop the task with an error and let the operator decide. */
    FAIL;

    @Override
    public String value() {
        return ConfigEnum.valueOf(this);
    }

    /**
     * The constant written as {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ReplayExpiredPolicy parse(String text) {
        return ConfigEnum.parse(ReplayExpiredPolicy.class, text);
    }
}
