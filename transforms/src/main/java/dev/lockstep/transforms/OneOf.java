package dev.lockstep.transforms;

import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Accepts one of a fixed set of lower-case values, case-insensitively; its {@code toString()} lists them, so the
 * generated configuration reference shows what may be written.
 */
final class OneOf implements ConfigDef.Validator {

    private final List<String> values;

    OneOf(List<String> values) {
        this.values = List.copyOf(values);
    }

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null || !values.contains(value.toString().trim().toLowerCase(Locale.ROOT))) {
            throw new ConfigException(name, value, "must be " + this);
        }
    }

    @Override
    public String toString() {
        return "one of " + String.join(", ", values);
    }
}
