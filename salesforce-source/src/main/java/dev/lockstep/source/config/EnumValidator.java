package dev.lockstep.source.config;

import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Accepts exactly the {@link ConfigEnum#value() values} of one enum (case-insensitively); its {@code toString()}
 * lists them, so the generated configuration reference shows what may be written.
 */
public final class EnumValidator<E extends Enum<E> & ConfigEnum> implements ConfigDef.Validator {

    private final Class<E> type;

    private EnumValidator(Class<E> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    public static <E extends Enum<E> & ConfigEnum> EnumValidator<E> of(Class<E> type) {
        return new EnumValidator<>(type);
    }

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null) {
            throw new ConfigException(name, null, "must be one of " + ConfigEnum.values(type));
        }
        try {
            ConfigEnum.parse(type, value.toString());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "must be one of " + ConfigEnum.values(type));
        }
    }

    @Override
    public String toString() {
        return "one of " + ConfigEnum.values(type);
    }
}
