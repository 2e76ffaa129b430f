package dev.lockstep.emulator.formula;

import dev.lockstep.emulator.org.FieldType;

/**
 * The static type of a formula expression. Salesforce type-checks formulas when they are saved; the emulator does
 * the same so that a formula mixing, say, text and numbers is refused when the field is defined.
 */
public enum FormulaType {
    NUMBER("Number"),
    TEXT("Text"),
    BOOLEAN("Boolean"),
    DATE("Date"),
    DATETIME("Date/Time"),
    TIME("Time"),
    /** A single-select picklist field: only ISPICKVAL, CASE, TEXT, ISBLANK and ISNULL take it. */
    PICKLIST("Picklist"),
    /** A multi-select picklist field: only INCLUDES, ISBLANK and ISNULL take it. */
    MULTIPICKLIST("Multi-Select Picklist"),
    /** The {@code NULL} literal, which fits wherever any type is expected. */
    NULL("Null");

    private final String label;

    FormulaType(String label) {
        this.label = label;
    }

    /** The name Salesforce's error messages use. */
    public String label() {
        return label;
    }

    /** Whether a value of this type may stand where {@code expected} is required. */
    boolean fits(FormulaType expected) {
        return this == expected || this == NULL || expected == NULL;
    }

    /** The formula type of a field's values, or null when the field cannot be used in formulas. */
    static FormulaType of(FieldType type) {
        return switch (type) {
            case INT, DOUBLE, CURRENCY, PERCENT -> NUMBER;
            case ID, STRING, TEXTAREA, COMBOBOX, REFERENCE, EMAIL, PHONE, URL, ENCRYPTEDSTRING -> TEXT;
            case BOOLEAN -> BOOLEAN;
            case DATE -> DATE;
            case DATETIME -> DATETIME;
            case TIME -> TIME;
            case PICKLIST -> PICKLIST;
            case MULTIPICKLIST -> MULTIPICKLIST;
            case BASE64, ADDRESS, LOCATION, ANYTYPE -> null;
        };
    }

    /** The type a formula field of {@code type} must compute, or null when no formula can return that type. */
    static FormulaType resultOf(FieldType type) {
        FormulaType formulaType = of(type);
        return formulaType == PICKLIST || formulaType == MULTIPICKLIST ? null : formulaType;
    }
}
