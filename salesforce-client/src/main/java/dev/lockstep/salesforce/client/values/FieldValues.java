package dev.lockstep.salesforce.client.values;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the field values of one sObject into Java types, from REST JSON or from Bulk API 2.0 CSV text, using the
 * object's describe (reference §2.4, §2.12). Immutable and thread-safe; build one per describe and keep it.
 *
 * <table>
 *   <caption>describe type → Java type</caption>
 *   <tr><td>id, reference, string, picklist, textarea, email, phone, url, combobox, encryptedstring, anyType,
 *       json, complexvalue</td><td>{@link String}</td></tr>
 *   <tr><td>boolean</td><td>{@link Boolean}</td></tr>
 *   <tr><td>int</td><td>{@link Integer}</td></tr>
 *   <tr><td>long</td><td>{@link Long}</td></tr>
 *   <tr><td>double, percent, currency</td><td>{@link BigDecimal} at the field's {@code scale}</td></tr>
 *   <tr><td>date</td><td>{@link LocalDate}</td></tr>
 *   <tr><td>datetime</td><td>{@link Instant}</td></tr>
 *   <tr><td>time</td><td>{@link LocalTime}</td></tr>
 *   <tr><td>multipicklist</td><td>{@code List<String>} (split on {@code ;})</td></tr>
 *   <tr><td>base64</td><td>REST: {@link String}, the blob's relative URL, because a REST record never carries the
 *       bytes, only where to GET them; Bulk CSV: {@code byte[]}, decoded</td></tr>
 *   <tr><td>address, location</td><td>{@code Map<String, Object>} of the components present (latitude and
 *       longitude as {@link BigDecimal}, the rest as {@link String}); REST only, Bulk queries cannot select
 *       compound fields</td></tr>
 * </table>
 *
 * <p>Null, JSON null and an empty CSV value (Bulk writes null as empty) are {@code null}. Field names are matched
 * case-insensitively, as SOQL does, and typed rows use the describe's spelling.
 *
 * <p>Errors are {@link SalesforceException}s naming object, field and value:
 * <ul>
 *   <li>a field the describe does not know: {@link ErrorCategory#FATAL}, code {@value #UNKNOWN_FIELD}. It is not
 *       one record's fault: every record will carry it, and the fix is to refresh the describe (the field was
 *       added since) or change the query;</li>
 *   <li>a value that does not parse as its type: {@link ErrorCategory#PER_RECORD}, code
 *       {@value #UNPARSABLE_VALUE}. One record is unusable; the caller routes it to its error path (dead-letter
 *       topic) and the rest of the batch stands.</li>
 * </ul>
 */
public final class FieldValues {

    /** Error code of a field the describe does not know. */
    public static final String UNKNOWN_FIELD = "UNKNOWN_FIELD";
    /** Error code of a value that does not parse as its field's type. */
    public static final String UNPARSABLE_VALUE = "UNPARSABLE_VALUE";

    /** Values longer than this are cut in error messages: a long text area can hold 131,072 characters. */
    private static final int MAX_VALUE_IN_MESSAGE = 100;

    /**
     * Salesforce writes {@code 2013-05-20T20:49:32.000+0000}; it and other clients also use {@code Z} and
     * {@code +00:00}, with or without seconds and fractions. An offset is required: without one the instant is
     * unknown.
     */
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    /** The kinds of conversion; several describe types share one. */
    enum Kind { TEXT, BOOLEAN, INT, LONG, DECIMAL, DATE, DATETIME, TIME, MULTIPICKLIST, BASE64, COMPOUND }

    /** One field of the describe: its API name, the conversion and, for decimals, the scale. */
    record Field(String name, String type, Kind kind, int scale) {}

    private final String object;
    private final Map<String, Field> fields;

    private FieldValues(String object, Map<String, Field> fields) {
        this.object = object;
        this.fields = fields;
    }

    /**
     * The conversions of the object a describe ({@code GET .../sobjects/{Obj}/describe}) is about.
     *
     * @throws SalesforceException FATAL when the describe has no {@code name} or no {@code fields}
     */
    public static FieldValues of(JsonNode describe) {
        String object = describe.path("name").asText(null);
        if (object == null || !describe.path("fields").isArray()) {
            throw new SalesforceException(ErrorCategory.FATAL, 0, null,
                    "Not an sObject describe: it needs a name and a fields array");
        }
        Map<String, Field> fields = new HashMap<>();
        for (JsonNode f : describe.path("fields")) {
            String name = f.path("name").asText();
            String type = f.path("type").asText();
            fields.put(name.toLowerCase(Locale.ROOT), new Field(name, type, kind(type), f.path("scale").asInt(0)));
        }
        return new FieldValues(object, Collections.unmodifiableMap(fields));
    }

    private static Kind kind(String type) {
        switch (type) {
            case "boolean":
                return Kind.BOOLEAN;
            case "int":
                return Kind.INT;
            case "long":
                return Kind.LONG;
            case "double":
            case "percent":
            case "currency":
                return Kind.DECIMAL;
            case "date":
                return Kind.DATE;
            case "datetime":
                return Kind.DATETIME;
            case "time":
                return Kind.TIME;
            case "multipicklist":
                return Kind.MULTIPICKLIST;
            case "base64":
                return Kind.BASE64;
            case "address":
            case "location":
                return Kind.COMPOUND;
            default:
                // id, reference, string, picklist, textarea, email, phone, url, combobox, encryptedstring, and the
                // loosely typed anyType/json/complexvalue: text is the nearest primitive (reference §2.4).
                return Kind.TEXT;
        }
    }

    /** The object's API name, as in the describe. */
    public String object() {
        return object;
    }

    /** The describe's spelling of a field, if the object has it (matched case-insensitively). */
    public Optional<String> fieldName(String field) {
        Field f = fields.get(field.toLowerCase(Locale.ROOT));
        return f == null ? Optional.empty() : Optional.of(f.name());
    }

    /** The describe {@code type} of a field ({@code "currency"}, ...). */
    public String type(String field) {
        return field(field).type();
    }

    Field field(String name) {
        Field f = fields.get(name.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new SalesforceException(ErrorCategory.FATAL, 0, UNKNOWN_FIELD, object + " has no field " + name
                    + " in its describe; refresh the describe if the field was added since");
        }
        return f;
    }

    /**
     * A field's value from a REST record.
     *
     * @param value the JSON value; null or JSON null give null
     * @throws SalesforceException FATAL for an unknown field, PER_RECORD for a value that does not parse
     */
    public Object fromJson(String field, JsonNode value) {
        Field f = field(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        try {
            switch (f.kind()) {
                case BOOLEAN:
                    if (value.isBoolean()) {
                        return value.booleanValue();
                    }
                    return parseBoolean(value.asText());
                case INT:
                case LONG:
                case DECIMAL:
                    if (!value.isNumber() && !value.isTextual()) {
                        throw new IllegalArgumentException("not a number");
                    }
                    // Jackson reads JSON fractions as doubles; decimalValue() gives the shortest decimal for them.
                    return number(f, value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().trim()));
                case MULTIPICKLIST:
                case DATE:
                case DATETIME:
                case TIME:
                case TEXT:
                    if (!value.isValueNode()) {
                        // anyType/json may hold structure; keep its JSON text rather than lose it.
                        return f.kind() == Kind.TEXT ? value.toString() : fail(f, value.toString(), null);
                    }
                    return fromText(f, value.asText());
                case BASE64:
                    // A REST record holds the blob's URL (GET it for the bytes), never the content.
                    return value.asText();
                case COMPOUND:
                    if (!value.isObject()) {
                        throw new IllegalArgumentException("not an object");
                    }
                    return compound(value);
                default:
                    throw new IllegalStateException(f.kind().name());
            }
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            return fail(f, value.toString(), e);
        }
    }

    /**
     * A field's value from a Bulk API 2.0 CSV cell.
     *
     * @param text the unquoted cell; null or empty give null
     * @throws SalesforceException FATAL for an unknown field, PER_RECORD for a value that does not parse (a
     *     compound field included: Bulk cannot select one)
     */
    public Object fromCsv(String field, String text) {
        return csv(field(field), text);
    }

    /** One column of Bulk results: its field looked up once, for the many rows that follow. */
    public interface Column {

        /** The field's name as the describe spells it. */
        String name();

        /** As {@link FieldValues#fromCsv}, without the lookup. */
        Object fromCsv(String text);
    }

    /**
     * The conversion of one field, for reading a column of many rows.
     *
     * @throws SalesforceException FATAL for an unknown field
     */
    public Column column(String field) {
        Field f = field(field);
        return new Column() {
            @Override
            public String name() {
                return f.name();
            }

            @Override
            public Object fromCsv(String text) {
                return csv(f, text);
            }
        };
    }

    private Object csv(Field f, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return fromText(f, text);
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            return fail(f, text, e);
        }
    }

    private Object fromText(Field f, String text) {
        if (text.isEmpty() && f.kind() != Kind.TEXT) {
            return null;
        }
        switch (f.kind()) {
            case TEXT:
                return text;
            case BOOLEAN:
                return parseBoolean(text);
            case INT:
            case LONG:
            case DECIMAL:
                return number(f, new BigDecimal(text.trim()));
            case DATE:
                // Bulk accepts and some exports write a trailing Z on dates (reference §4.1).
                LocalDate date = plainDate(text);
                return date != null ? date
                        : LocalDate.parse(text.endsWith("Z") ? text.substring(0, text.length() - 1) : text);
            case DATETIME:
                return parseDateTime(text);
            case TIME:
                // Times are wall-clock values with a nominal Z ("13:45:00.000Z"): the Z carries no information.
                LocalTime time = plainTime(text);
                return time != null ? time
                        : LocalTime.parse(text.endsWith("Z") ? text.substring(0, text.length() - 1) : text);
            case MULTIPICKLIST:
                List<String> values = new ArrayList<>();
                for (String v : text.split(";", -1)) {
                    if (!v.isEmpty()) {
                        values.add(v);
                    }
                }
                return List.copyOf(values);
            case BASE64:
                // The strict decoder: the MIME one skips characters it does not know, and would hide a corrupt value.
                return Base64.getDecoder().decode(text);
            case COMPOUND:
                throw new IllegalArgumentException("a compound field has no text form; select its components");
            default:
                throw new IllegalStateException(f.kind().name());
        }
    }

    /**
     * A Salesforce date-time ({@code 2013-05-20T20:49:32.000+0000}, {@code Z}, {@code +hh:mm}, {@code +hhmm}, optional
     * seconds and fraction; an offset is required).
     *
     * @throws java.time.format.DateTimeParseException when {@code text} is none
     */
    public static Instant parseDateTime(String text) {
        Instant fast = salesforceDateTime(text);
        return fast != null ? fast : DATE_TIME.parse(text, Instant::from);
    }

    /**
     * The fast path for the form Salesforce writes, {@code yyyy-MM-ddTHH:mm:ss.SSS+0000} (or {@code Z}): a Bulk export
     * holds millions of them and the general formatter costs a few times more. Null for any other form.
     */
    private static Instant salesforceDateTime(String t) {
        int n = t.length();
        boolean utc = n == 28 && t.endsWith("+0000") || n == 24 && t.charAt(23) == 'Z';
        if (!utc || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(19) != '.') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        int millis = digits(t, 20, 3);
        if ((year | month | day | hour | minute | second | millis) < 0) {
            return null;
        }
        // LocalDate.of and LocalTime.of validate ranges (month 13, February 30) and throw DateTimeException.
        long days = LocalDate.of(year, month, day).toEpochDay();
        int secondOfDay = LocalTime.of(hour, minute, second).toSecondOfDay();
        return Instant.ofEpochSecond(days * 86_400L + secondOfDay, millis * 1_000_000L);
    }

    /**
     * The fast path for {@code yyyy-MM-dd}, with or without a trailing Z, as Salesforce writes dates; null for any
     * other form (the general parser then decides).
     */
    private static LocalDate plainDate(String t) {
        int n = t.length();
        if (n != 10 && !(n == 11 && t.charAt(10) == 'Z') || t.charAt(4) != '-' || t.charAt(7) != '-') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        return (year | month | day) < 0 ? null : LocalDate.of(year, month, day);
    }

    /**
     * The fast path for {@code HH:mm:ss.SSS}, with or without a trailing Z, as Salesforce writes times; null for any
     * other form.
     */
    private static LocalTime plainTime(String t) {
        int n = t.length();
        if (n != 12 && !(n == 13 && t.charAt(12) == 'Z') || t.charAt(2) != ':' || t.charAt(5) != ':'
                || t.charAt(8) != '.') {
            return null;
        }
        int hour = digits(t, 0, 2);
        int minute = digits(t, 3, 2);
        int second = digits(t, 6, 2);
        int millis = digits(t, 9, 3);
        return (hour | minute | second | millis) < 0 ? null
                : LocalTime.of(hour, minute, second, millis * 1_000_000);
    }

    /** The number written by {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int d = t.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static Boolean parseBoolean(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException("not true or false");
        }
    }

    private static Object number(Field f, BigDecimal value) {
        switch (f.kind()) {
            case INT:
                // intValueExact accepts 5.0 and rejects 5.5 and overflow.
                return value.intValueExact();
            case LONG:
                return value.longValueExact();
            default:
                // Salesforce stores decimals rounded half up to the field's scale; do the same so that a value
                // read here compares equal to what Salesforce would store.
                return value.setScale(f.scale(), RoundingMode.HALF_UP);
        }
    }

    /** The components of an address or geolocation, in Salesforce's order. */
    private static Map<String, Object> compound(JsonNode value) {
        Map<String, Object> parts = new LinkedHashMap<>();
        value.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                parts.put(e.getKey(), null);
            } else if (v.isNumber()) {
                parts.put(e.getKey(), v.decimalValue());
            } else if (e.getKey().equals("latitude") || e.getKey().equals("longitude")) {
                parts.put(e.getKey(), new BigDecimal(v.asText()));
            } else {
                parts.put(e.getKey(), v.asText());
            }
        });
        return Collections.unmodifiableMap(parts);
    }

    private Object fail(Field f, String value, RuntimeException cause) {
        String shown = value.length() > MAX_VALUE_IN_MESSAGE ? value.substring(0, MAX_VALUE_IN_MESSAGE) + "..."
                : value;
        throw new SalesforceException(ErrorCategory.PER_RECORD, 0, UNPARSABLE_VALUE, object + "." + f.name()
                + " (" + f.type() + ") has a value that is not a valid " + f.type() + ": \"" + shown + "\""
                + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
    }

    /**
     * Every field of a REST record, typed; {@code attributes} and nested relationship objects (parent paths,
     * child subqueries) are left out, as they belong to other objects.
     *
     * @throws SalesforceException as {@link #fromJson}
     */
    public Map<String, Object> record(JsonNode record) {
        Map<String, Object> typed = new LinkedHashMap<>();
        record.properties().forEach(e -> {
            String name = e.getKey();
            if (name.equals("attributes")) {
                return;
            }
            Field f = fields.get(name.toLowerCase(Locale.ROOT));
            if (f == null && e.getValue().isObject()) {
                return;
            }
            Object value = fromJson(name, e.getValue());
            typed.put(f == null ? name : f.name(), value);
        });
        return typed;
    }
}
