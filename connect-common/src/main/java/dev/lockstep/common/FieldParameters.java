package dev.lockstep.common;

/**
 * Names of the Connect schema parameters that carry Salesforce field metadata on every field of {@code after}
 * (ARCHITECTURE §3), written by the source connector and read by the Postgres-path transforms.
 */
public final class FieldParameters {

    /** The describe type, e.g. {@code currency}, {@code multipicklist}. */
    public static final String TYPE = "salesforce.type";
    /** The describe length of text fields (absent when 0). */
    public static final String LENGTH = "salesforce.length";
    /** The describe precision of numbers (absent when 0). */
    public static final String PRECISION = "salesforce.precision";
    /** The describe scale of numbers (absent when 0). */
    public static final String SCALE = "salesforce.scale";
    /** {@code true} on formula fields. */
    public static final String CALCULATED = "salesforce.calculated";
    /** The precision parameter Debezium and its JDBC sink read from a Decimal schema, e.g. for {@code numeric(p,s)}. */
    public static final String DECIMAL_PRECISION = "connect.decimal.precision";

    private FieldParameters() {
    }
}
