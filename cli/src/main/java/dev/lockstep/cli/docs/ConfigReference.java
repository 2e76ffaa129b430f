package dev.lockstep.cli.docs;

import dev.lockstep.sink.SalesforceSinkConnector;
import dev.lockstep.source.SalesforceSourceConnector;
import dev.lockstep.source.config.SalesforceSourceConnectorConfig;
import dev.lockstep.transforms.HerokuConnectRow;
import dev.lockstep.transforms.NarrowPartialUpdate;
import dev.lockstep.transforms.PostgresValues;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.types.Password;

/**
 * Writes {@code docs/configuration.md} from the ConfigDefs of every plugin in the archive, so the reference can
 * never say something the code does not do. {@code ConfigReferenceTest} fails when the file drifts from the code.
 */
public final class ConfigReference {

    /** A plugin whose configuration the reference documents. */
    public record Plugin(String title, Class<?> type, ConfigDef config) {}

    public static List<Plugin> plugins() {
        return List.of(
                new Plugin("Salesforce source connector", SalesforceSourceConnector.class,
                        SalesforceSourceConnectorConfig.CONFIG_DEF),
                new Plugin("Salesforce sink connector", SalesforceSinkConnector.class,
                        new SalesforceSinkConnector().config()),
                new Plugin("Transform: NarrowPartialUpdate", NarrowPartialUpdate.class, NarrowPartialUpdate.CONFIG_DEF),
                new Plugin("Transform: HerokuConnectRow", HerokuConnectRow.class, HerokuConnectRow.CONFIG_DEF),
                new Plugin("Transform: PostgresValues", PostgresValues.class, PostgresValues.CONFIG_DEF));
    }

    /** The command that rewrites docs/configuration.md from the code. */
    public static final String REGENERATE = "mvn -B -pl cli -am test -Dtest=ConfigReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dlockstep.docs.update=true";

    private ConfigReference() {}

    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n")
                .append("Generated from the connectors' and transforms' `ConfigDef`s by `ConfigReference` in the `cli`")
                .append(" module; do not edit by hand. Regenerate with\n")
                .append("`" + REGENERATE + "`.\n");
        for (Plugin plugin : plugins()) {
            out.append("\n## ").append(plugin.title()).append("\n\n`").append(plugin.type().getName()).append("`\n\n");
            // Groups in the order the ConfigDef defines them (connection first), keys by their order in the group.
            List<String> groups = plugin.config().groups();
            List<ConfigKey> keys = plugin.config().configKeys().values().stream()
                    .sorted(Comparator.<ConfigKey>comparingInt(key -> groups.indexOf(key.group))
                            .thenComparingInt(key -> key.orderInGroup))
                    .toList();
            if (keys.isEmpty()) {
                out.append("No settings of its own in this release; the worker's connector settings (`name`,")
                        .append(" `connector.class`, `tasks.max`, `topics`, ...) apply.\n");
                continue;
            }
            out.append("| key | type | default | valid values | importance | group | description |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            for (ConfigKey key : keys) {
                out.append("| `").append(key.name).append("` | ")
                        .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(defaultValue(key)).append(" | ")
                        .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                        .append(key.importance.name().toLowerCase(Locale.ROOT)).append(" | ")
                        .append(key.group == null ? "" : cell(key.group)).append(" | ")
                        .append(cell(key.documentation)).append(" |\n");
            }
        }
        return out.toString();
    }

    private static String defaultValue(ConfigKey key) {
        if (!key.hasDefault()) {
            return "required";
        }
        if (key.defaultValue == null) {
            return "null";
        }
        if (key.defaultValue instanceof Password) {
            return "[hidden]";
        }
        Object value = key.defaultValue instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : key.defaultValue;
        return value.toString().isEmpty() ? "\"\"" : "`" + value + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ");
    }
}
