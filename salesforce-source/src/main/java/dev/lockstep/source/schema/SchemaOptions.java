package dev.lockstep.source.schema;

/**
 * How {@link ObjectSchema} types the fields whose Connect type is a choice (ARCHITECTURE §3).
 *
 * @param preciseDecimals double, percent and currency fields as Connect {@code Decimal} at the field's describe
 *     scale ({@code decimal.handling.mode=precise}); false for {@code FLOAT64} ({@code double}, Heroku Connect's
 *     choice)
 * @param multipicklistAsArray multi-select picklists as {@code ARRAY<STRING>}; false for one {@code STRING} with
 *     the values joined by {@code ;}, as Salesforce writes them
 */
public record SchemaOptions(boolean preciseDecimals, boolean multipicklistAsArray) {

    /** Heroku Connect's choices: doubles and {@code ;}-joined multi-select picklists. */
    public static SchemaOptions defaults() {
        return new SchemaOptions(false, false);
    }
}
