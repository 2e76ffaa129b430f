package dev.lockstep.source.config;

/** What a deleted record becomes ({@code delete.handling.mode}). */
public enum DeleteHandling implements ConfigEnum {
    /** A delete event, then a tombstone (null value) so that compacted topics forget the record. */
    TOMBSTONE,

    /** A delete event only. */
    DELETE;

    @Override
    public String value() {
        return ConfigEnum.valueOf(this);
    }

    /**
     * The constant written as {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DeleteHandling parse(String text) {
        return ConfigEnum.parse(DeleteHandling.class, text);
    }
}
