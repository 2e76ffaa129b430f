package dev.lockstep.cli.connect;

import dev.lockstep.sink.SalesforceSinkConnector;
import dev.lockstep.source.config.SalesforceSourceConnectorConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Which connector settings are secrets, so that configurations can be shown ({@code lockstep deploy --dry-run})
 * without them: every {@code PASSWORD} key of Lockstep's connectors, the password keys of the Debezium connectors
 * the deployment uses, and, to fail safe on anything else, keys whose name ends in {@code password}, {@code secret},
 * {@code token} or {@code private.key}. A value that is a config provider reference ({@code ${file:...:key}}) is
 * not a secret itself and is shown.
 */
public final class ConnectorSecrets {

    /** What a secret is shown as. */
    public static final String MASK = "********";

    /** The Debezium JDBC sink's and Postgres source's passwords (their plugins are not on the CLI's class path). */
    static final Set<String> DEBEZIUM_SECRETS = Set.of("connection.password", "database.password");

    private static final Set<String> KNOWN = known();
    private static final Pattern PROVIDER_REFERENCE = Pattern.compile("\\$\\{[^}]+}");

    private ConnectorSecrets() {
    }

    private static Set<String> known() {
        Set<String> keys = new TreeSet<>(DEBEZIUM_SECRETS);
        for (ConfigDef def : new ConfigDef[] {SalesforceSourceConnectorConfig.CONFIG_DEF,
                new SalesforceSinkConnector().config()}) {
            def.configKeys().forEach((name, key) -> {
                if (key.type == ConfigDef.Type.PASSWORD) {
                    keys.add(name);
                }
            });
        }
        return Set.copyOf(keys);
    }

    /** Whether a key holds a secret. */
    public static boolean secret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return KNOWN.contains(key) || lower.endsWith("password") || lower.endsWith("secret")
                || lower.endsWith("token") || lower.endsWith("private.key");
    }

    /** A copy of a configuration, same order, with every secret value (and those of {@code alsoSecret}) masked. */
    public static Map<String, String> mask(Map<String, String> config, Set<String> alsoSecret) {
        Map<String, String> masked = new LinkedHashMap<>();
        config.forEach((key, value) -> masked.put(key, (secret(key) || alsoSecret.contains(key)) && value != null
                && !value.isEmpty() && !PROVIDER_REFERENCE.matcher(value).matches() ? MASK : value));
        return masked;
    }

    /** {@link #mask(Map, Set)} with the known secrets only. */
    public static Map<String, String> mask(Map<String, String> config) {
        return mask(config, Set.of());
    }
}
