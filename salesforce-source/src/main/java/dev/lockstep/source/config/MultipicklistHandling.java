package dev.lockstep.source.config;

/** How multi-select picklist values are written ({@code multipicklist.handling.mode}). */
public enum MultipicklistHandling implements ConfigEnum {
    /** One string, the values joined with {@code ;} as Salesforce does. */
    STRING,

    /** An array of strings. */
    ARRAY;

    @Override
    public String value() {
        return ConfigEnum.valueOf(this);
    }

    /**
     * The constant written as {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static MultipicklistHandling parse(String text) {
        return ConfigEnum.parse(MultipicklistHandling.class, text);
    }
}
