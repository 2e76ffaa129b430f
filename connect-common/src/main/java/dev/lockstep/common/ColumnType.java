package dev.lockstep.common;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Postgres column type of one Salesforce field, by schema style. Heroku Connect's choices follow the type table
 * of its documentation: ids and references {@code varchar(18)}, numbers {@code double precision}, datetimes
 * {@code timestamp} holding UTC, text {@code varchar(length)}, long text {@code text}, picklists
 * {@code varchar(255)}, multi-select picklists {@code varchar(4099)}. The native style keeps precision and zones:
 * {@code numeric(p,s)}, {@code timestamptz}, {@code text[]}, {@code bytea}.
 *
 * @param name the type name as Postgres' catalog spells it ({@code character varying}, {@code double precision},
 *     {@code timestamp without time zone}, ...), without length
 * @param length the length of {@code character varying}, or 0
 * @param precision the precision of {@code numeric}, or 0
 * @param scale the scale of {@code numeric}, or 0
 */
public record ColumnType(String name, int length, int precision, int scale) {

    public static final String VARCHAR = "character varying";
    public static final String TEXT = "text";
    public static final String BOOLEAN = "boolean";
    public static final String INTEGER = "integer";
    public static final String BIGINT = "bigint";
    public static final String DOUBLE = "double precision";
    public static final String NUMERIC = "numeric";
    public static final String DATE = "date";
    public static final String TIME = "time without time zone";
    public static final String TIMESTAMP = "timestamp without time zone";
    public static final String TIMESTAMPTZ = "timestamp with time zone";
    public static final String TEXT_ARRAY = "text[]";
    public static final String BYTEA = "bytea";

    /** Salesforce's Id length, the type of {@code sfid} and of every reference column. */
    public static final int ID_LENGTH = 18;

    /** A {@code format_type()} rendering with a size: {@code character varying(80)}, {@code numeric(16,2)}. */
    private static final Pattern SIZED = Pattern.compile("([a-z ]+)\\((\\d+)(?:,(\\d+))?\\)");

    /**
     * The column type of a field, or null for the compound fields (address, location) that are synced through their
     * component fields only.
     *
     * @param sfType the describe type, e.g. {@code string}
     * @param length the describe length (text), 0 when none
     * @param precision the describe precision (numbers), 0 when none
     * @param scale the describe scale (numbers), 0 when none
     */
    public static ColumnType of(String sfType, int length, int precision, int scale, SchemaStyle style) {
        boolean hc = style == SchemaStyle.HEROKU_CONNECT;
        switch (sfType.toLowerCase(Locale.ROOT)) {
            case "id":
            case "reference":
                return varchar(ID_LENGTH);
            case "boolean":
                return of(BOOLEAN);
            case "int":
                return of(INTEGER);
            case "long":
                return of(BIGINT);
            case "double":
            case "currency":
            case "percent":
                return hc || precision <= 0 ? of(DOUBLE) : new ColumnType(NUMERIC, 0, precision, Math.max(scale, 0));
            case "date":
                return of(DATE);
            case "datetime":
                return of(hc ? TIMESTAMP : TIMESTAMPTZ);
            case "time":
                return of(TIME);
            case "picklist":
            case "combobox":
            case "url":
                return varchar(Math.max(length, 255));
            case "multipicklist":
                return hc ? varchar(Math.max(length, 4099)) : of(TEXT_ARRAY);
            case "textarea":
                return length > 255 ? of(TEXT) : varchar(255);
            case "email":
                return varchar(Math.max(length, 80));
            case "phone":
                return varchar(Math.max(length, 40));
            case "string":
            case "encryptedstring":
                return length > 0 ? varchar(length) : of(TEXT);
            case "base64":
                return of(hc ? TEXT : BYTEA);
            case "address":
            case "location":
                return null;
            default:
                // anyType, json and types Salesforce adds later: text holds any rendering of them.
                return of(TEXT);
        }
    }

    private static ColumnType of(String name) {
        return new ColumnType(name, 0, 0, 0);
    }

    private static ColumnType varchar(int length) {
        return new ColumnType(VARCHAR, length, 0, 0);
    }

    /** The type as written in DDL, e.g. {@code varchar(80)}, {@code numeric(16,2)}, {@code timestamp}. */
    public String ddl() {
        return switch (name) {
            case VARCHAR -> length > 0 ? "varchar(" + length + ")" : "varchar";
            case NUMERIC -> precision > 0 ? "numeric(" + precision + "," + scale + ")" : NUMERIC;
            case TIMESTAMP -> "timestamp";
            case TIMESTAMPTZ -> "timestamptz";
            case TIME -> "time";
            default -> name;
        };
    }

    /**
     * The type as Postgres' {@code format_type()} prints it, e.g. {@code character varying(80)},
     * {@code numeric(16,2)}, {@code timestamp without time zone}: what a catalog read compares with.
     */
    public String formatType() {
        return switch (name) {
            case VARCHAR -> length > 0 ? VARCHAR + "(" + length + ")" : VARCHAR;
            case NUMERIC -> precision > 0 ? NUMERIC + "(" + precision + "," + scale + ")" : NUMERIC;
            default -> name;
        };
    }

    /**
     * The type of a {@code format_type()} rendering, the inverse of {@link #formatType()}. Types outside the table
     * (e.g. {@code jsonb}) keep their rendering as the name, so they compare unequal to every type of the table.
     */
    public static ColumnType parse(String formatType) {
        String text = formatType.trim().toLowerCase(Locale.ROOT);
        Matcher sized = SIZED.matcher(text);
        if (sized.matches()) {
            String base = sized.group(1);
            int first = Integer.parseInt(sized.group(2));
            if (base.equals(VARCHAR)) {
                return varchar(first);
            }
            if (base.equals(NUMERIC)) {
                return new ColumnType(NUMERIC, 0, first, sized.group(3) == null ? 0 : Integer.parseInt(sized.group(3)));
            }
        }
        return of(text);
    }

    @Override
    public String toString() {
        return ddl();
    }
}
