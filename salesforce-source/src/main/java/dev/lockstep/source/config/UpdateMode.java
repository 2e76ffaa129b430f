package dev.lockstep.source.config;

/** What an UPDATE change event becomes ({@code update.mode}, ARCHITECTURE §3 "Partial updates"). */
public enum UpdateMode implements ConfigEnum {
    /** The event as sent, with only the changed fields ({@code complete=false}); no API calls. */
    PARTIAL,

    /** The record re-read by SOQL, every mapped field set ({@code complete=true}). */
    FULL;

    @Override
    public String value() {
        return ConfigEnum.valueOf(this);
    }

    /**
     * The constant written as {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static UpdateMode parse(String text) {
        return ConfigEnum.parse(UpdateMode.class, text);
    }
}
