package dev.lockstep.source.config;

import java.util.Collection;
import java.util.Objects;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

/**
 * A configuration mistake that no single key's validator can see (a key the chosen login flow needs is missing,
 * two keys contradict each other, the org refuses the credentials), attached to the key the operator should fix.
 * The message names the key and the fix, and never holds a secret.
 */
public record ConfigProblem(String key, String message) {

    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /** Adds each problem to its key's {@link ConfigValue} in {@code config} (a new entry if the key has none). */
    public static void attachTo(Config config, Collection<ConfigProblem> problems) {
        for (ConfigProblem problem : problems) {
            ConfigValue value = config.configValues().stream().filter(v -> v.name().equals(problem.key()))
                    .findFirst().orElseGet(() -> {
                        ConfigValue added = new ConfigValue(problem.key());
                        config.configValues().add(added);
                        return added;
                    });
            value.addErrorMessage(problem.message());
        }
    }

    /** True when {@code key} already has an error in {@code config} (from its validator or an earlier check). */
    public static boolean hasError(Config config, String key) {
        return config.configValues().stream()
                .anyMatch(v -> v.name().equals(key) && !v.errorMessages().isEmpty());
    }

    @Override
    public String toString() {
        return key + ": " + message;
    }
}
