package dev.lockstep.emulator.org;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Base64;
import java.util.Locale;

/**
 * Field values between Salesforce's wire formats and the Java types the org stores: String (text, ids, picklists),
 * Boolean, Integer, BigDecimal (double, currency, percent), LocalDate, Instant (datetime), LocalTime, byte[].
 */
public final class Values {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** REST output: {@code 2013-05-20T20:49:32.000+0000}. */
    public static final DateTimeFormatter DATETIME_OUT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME_OUT = DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'", Locale.ROOT);

    /** ISO date-time with an optional fraction and an offset written Z, +hh:mm or +hhmm (or none: UTC). */
    private static final DateTimeFormatter DATETIME_IN = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    private Values() {}

    /** A value from a REST JSON body. A value of the wrong shape fails the request with JSON_PARSER_ERROR. */
    public static Object fromJson(FieldDef field, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isContainerNode()) {
            throw parseError(field, value.toString());
        }
        if (field.type() == FieldType.BOOLEAN && value.isBoolean()) {
            return value.booleanValue();
        }
        if (field.type().isNumeric() && value.isNumber()) {
            return number(field, value.decimalValue(), value.toString());
        }
        try {
            return fromText(field, value.asText());
        } catch (IllegalArgumentException e) {
            throw parseError(field, value.asText());
        }
    }

    private static OrgException parseError(FieldDef field, String value) {
        return new OrgException(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of "
                + field.type().apiName() + " from VALUE_STRING value " + value
                + " or request may be missing a required field", java.util.List.of(field.name()));
    }

    /**
     * A value from text (Bulk CSV, SOQL literals converted by the caller, admin input).
     *
     * @throws IllegalArgumentException when the text is not a value of the field's type
     */
    public static Object fromText(FieldDef field, String text) {
        if (text == null) {
            return null;
        }
        switch (field.type()) {
            case BOOLEAN:
                if (text.equalsIgnoreCase("true") || text.equals("1")) {
                    return Boolean.TRUE;
                }
                if (text.equalsIgnoreCase("false") || text.equals("0")) {
                    return Boolean.FALSE;
                }
                throw new IllegalArgumentException("not a boolean: " + text);
            case INT:
                try {
                    return new BigDecimal(text.trim()).intValueExact();
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new IllegalArgumentException("not an integer: " + text, e);
                }
            case DOUBLE:
            case CURRENCY:
            case PERCENT:
                try {
                    return number(field, new BigDecimal(text.trim()), text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number: " + text, e);
                }
            case DATE:
                return parseDate(text);
            case DATETIME:
                return parseDateTime(text);
            case TIME:
                return parseTime(text);
            case BASE64:
                try {
                    return Base64.getMimeDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not base64: " + e.getMessage(), e);
                }
            case ID:
            case REFERENCE:
                String id = Ids.normalize(text);
                return id != null ? id : text;
            default:
                return text;
        }
    }

    private static Object number(FieldDef field, BigDecimal value, String original) {
        if (field.type() == FieldType.INT) {
            try {
                return value.intValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("not an integer: " + original, e);
            }
        }
        return value;
    }

    public static LocalDate parseDate(String text) {
        String t = text.trim();
        if (t.endsWith("Z")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.length() > 10 && t.charAt(10) == 'T') {
            t = t.substring(0, 10);
        }
        try {
            return LocalDate.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a date: " + text, e);
        }
    }

    /** Any ISO-8601 date-time Salesforce accepts: Z, +hh:mm, +hhmm, with or without seconds and fraction. */
    public static Instant parseDateTime(String text) {
        String t = text.trim();
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            var parsed = DATETIME_IN.parse(t);
            LocalDateTime local = LocalDateTime.of(LocalDate.from(parsed), LocalTime.of(
                    parsed.get(ChronoField.HOUR_OF_DAY), parsed.get(ChronoField.MINUTE_OF_HOUR),
                    parsed.isSupported(ChronoField.SECOND_OF_MINUTE) ? parsed.get(ChronoField.SECOND_OF_MINUTE) : 0,
                    parsed.isSupported(ChronoField.NANO_OF_SECOND) ? parsed.get(ChronoField.NANO_OF_SECOND) : 0));
            ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS)) : ZoneOffset.UTC;
            Instant instant = OffsetDateTime.of(local, offset).toInstant();
            return Instant.ofEpochMilli(instant.toEpochMilli());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a date-time: " + text, e);
        }
    }

    public static LocalTime parseTime(String text) {
        String t = text.trim();
        if (t.endsWith("Z")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return LocalTime.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: " + text, e);
        }
    }

    public static String formatDateTime(Instant instant) {
        return DATETIME_OUT.format(instant);
    }

    /** The REST JSON form of a stored value (base64 fields are written by the caller as a blob URL). */
    public static JsonNode toJson(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        return NODES.textNode(toText(value));
    }

    /** The text form of a stored value, as in Bulk CSV results; null is the empty string. */
    public static String toText(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Instant instant) {
            return formatDateTime(instant);
        }
        if (value instanceof LocalTime time) {
            return TIME_OUT.format(time);
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }
}
