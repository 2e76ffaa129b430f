package dev.lockstep.source.config;

/** How currency and decimal numbers are written ({@code decimal.handling.mode}). */
public enum DecimalHandling implements ConfigEnum {
    /** Connect {@code Decimal} with the field's scale: exact. */
    PRECISE,

    /** {@code FLOAT64}: easier for consumers, may round. */
    DOUBLE;

    @Override
    public String value() {
        return ConfigEnum.valueOf(this);
    }

    /**
     * The constant written as {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DecimalHandling parse(String text) {
        return ConfigEnum.parse(DecimalHandling.class, text);
    }
}
