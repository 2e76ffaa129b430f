package dev.lockstep.common;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How Salesforce fields become Postgres columns: exactly as Heroku Connect makes them, or with Postgres' richer
 * types. Shared by the schema management of the command line and the Postgres-path transforms, so the columns the
 * control plane creates and the columns the JDBC sink adds for new fields are the same.
 */
public enum SchemaStyle {
    /** Heroku Connect's types: double precision for numbers, timestamp (UTC) for datetimes, varchar for lists. */
    HEROKU_CONNECT("heroku-connect"),
    /** numeric(p,s), timestamptz, text[] for multi-select picklists, bytea for base64. */
    NATIVE("native");

    private final String value;

    SchemaStyle(String value) {
        this.value = value;
    }

    /** The configuration value, e.g. {@code heroku-connect}. */
    public String value() {
        return value;
    }

    /** Parses a configuration value (case-insensitive). */
    public static SchemaStyle of(String value) {
        for (SchemaStyle style : values()) {
            if (style.value.equalsIgnoreCase(value == null ? "" : value.trim())) {
                return style;
            }
        }
        throw new IllegalArgumentException("schema style must be one of " + choices() + ", not '" + value + "'");
    }

    /** The accepted values, for messages and docs. */
    public static String choices() {
        return Arrays.stream(values()).map(SchemaStyle::value).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return value.toLowerCase(Locale.ROOT);
    }
}
