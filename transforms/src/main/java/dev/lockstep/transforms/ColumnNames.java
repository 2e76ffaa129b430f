package dev.lockstep.transforms;

import dev.lockstep.common.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Postgres table and column names as {@link HerokuConnectRow} configures them: what a valid name is, and the
 * parsing of {@code column.renames}.
 */
final class ColumnNames {

    /** A lower-case identifier Postgres takes unquoted, as Heroku Connect's names are. */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");
    /** Postgres cuts longer identifiers (NAMEDATALEN - 1). */
    private static final int MAX_IDENTIFIER_BYTES = 63;
    /** Columns the sync owns: a field renamed to one of them would overwrite it. */
    private static final Set<String> RESERVED = Set.of("id", HerokuConnectRow.SFID_COLUMN,
            HerokuConnectRow.LASTOP_COLUMN, "_hc_err");

    private ColumnNames() {}

    /** Whether {@code name} is a lower-case Postgres identifier of at most 63 bytes. */
    static boolean isIdentifier(String name) {
        return name != null && IDENTIFIER.matcher(name).matches()
                && name.getBytes(StandardCharsets.UTF_8).length <= MAX_IDENTIFIER_BYTES;
    }

    /**
     * {@code Field:column} pairs as a map from the lower-cased field name to the column.
     *
     * @throws IllegalArgumentException naming the first pair that is not valid
     */
    static Map<String, String> parseRenames(List<String> pairs) {
        Map<String, String> renames = new LinkedHashMap<>();
        Map<String, String> fieldOfColumn = new HashMap<>();
        for (String pair : pairs) {
            int colon = pair.indexOf(':');
            String field = colon < 0 ? "" : pair.substring(0, colon).trim();
            String column = colon < 0 ? "" : pair.substring(colon + 1).trim();
            if (field.isEmpty() || column.isEmpty()) {
                throw new IllegalArgumentException("'" + pair + "' is not a Field:column pair");
            }
            if (field.equalsIgnoreCase(Envelope.ID)) {
                throw new IllegalArgumentException("'" + pair + "' renames Id, which is always the column "
                        + HerokuConnectRow.SFID_COLUMN);
            }
            if (!isIdentifier(column)) {
                throw new IllegalArgumentException("'" + column + "' (in '" + pair + "') is not a lower-case "
                        + "Postgres identifier: letters a-z, digits, _ and $, not starting with a digit, at most "
                        + MAX_IDENTIFIER_BYTES + " bytes");
            }
            if (RESERVED.contains(column)) {
                throw new IllegalArgumentException("'" + pair + "' targets " + column
                        + ", a column the sync itself writes");
            }
            String key = field.toLowerCase(Locale.ROOT);
            if (renames.containsKey(key)) {
                throw new IllegalArgumentException("field " + field + " is renamed twice");
            }
            String other = fieldOfColumn.putIfAbsent(column, field);
            if (other != null) {
                throw new IllegalArgumentException("fields " + other + " and " + field + " are both renamed to "
                        + column);
            }
            renames.put(key, column);
        }
        return Collections.unmodifiableMap(renames);
    }

    /** Validates {@code column.renames}. */
    static final class RenamesValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            if (!(value instanceof List<?> list)) {
                throw new ConfigException(name, value, "must be a list of Field:column pairs");
            }
            try {
                parseRenames(list.stream().map(String::valueOf).toList());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "list of Field:column pairs; each column a lower-case Postgres identifier, named once, "
                    + "not one of " + String.join(", ", RESERVED.stream().sorted().toList());
        }
    }

    /** Validates an optional table name. */
    static final class TableValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value != null && !value.toString().isEmpty() && !isIdentifier(value.toString())) {
                throw new ConfigException(name, value, "must be a lower-case Postgres identifier: letters a-z, "
                        + "digits, _ and $, not starting with a digit, at most " + MAX_IDENTIFIER_BYTES + " bytes");
            }
        }

        @Override
        public String toString() {
            return "empty, or a lower-case Postgres identifier";
        }
    }
}
