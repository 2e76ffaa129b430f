package dev.lockstep.source.config;

/** When an object is snapshotted before streaming ({@code snapshot.mode}). */
public enum SnapshotMode implements ConfigEnum {
    /** When the connector has no stored position for the object. */
    INITIAL,

    /** Never: stream from now on. */
    NEVER,

    /** When there is no stored position, and also when the stored one can no longer be resumed. */
    WHEN_NEEDED;

    @Override
    public String value() {
        return ConfigEnum.valueOf(this);
    }

    /**
     * The constant written as {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static SnapshotMode parse(String text) {
        return ConfigEnum.parse(SnapshotMode.class, text);
    }
}
