package dev.lockstep.source.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum-like configuration value: each constant is written in the configuration as its lower-case
 * {@link #value()} ({@code client_credentials} for {@code CLIENT_CREDENTIALS}).
 */
public interface ConfigEnum {

    /** The value as written in the configuration. */
    String value();

    /** The lower-case name of {@code constant}: what {@link #value()} returns for every enum of this package. */
    static String valueOf(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant of {@code type} whose {@link #value()} is {@code text} (case and surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    static <E extends Enum<E> & ConfigEnum> E parse(Class<E> type, String text) {
        if (text != null) {
            String wanted = text.trim();
            for (E constant : type.getEnumConstants()) {
                if (constant.value().equalsIgnoreCase(wanted)) {
                    return constant;
                }
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + values(type));
    }

    /** The accepted values, comma-separated, in declaration order. */
    static <E extends Enum<E> & ConfigEnum> String values(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigEnum::value).collect(Collectors.joining(", "));
    }
}
