package dev.lockstep.transforms;

import dev.lockstep.common.ColumnType;
import dev.lockstep.common.FieldParameters;
import dev.lockstep.common.SchemaStyle;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * How a value becomes the value of a Postgres column of a given {@link ColumnType}, and which Connect schema makes
 * the Debezium JDBC sink write it, and create it through schema evolution, as exactly that type: {@code STRING}
 * with the Debezium column parameters for {@code varchar(n)}, Decimal with {@code connect.decimal.precision} for
 * {@code numeric(p,s)}, {@code io.debezium.time.ZonedTimestamp} for {@code timestamptz}, ARRAY of STRING for
 * {@code text[]}, and so on. Conversions read the Java types a Connect schema gives as well as the JSON-ish ones a
 * schemaless record holds (ISO-8601 strings, epoch numbers, lists, base64 text).
 */
final class ColumnValues {

    /** The column type parameter the Debezium JDBC sink reads, as its source connectors propagate it. */
    static final String COLUMN_TYPE_PARAMETER = "__debezium.source.column.type";
    /** The column length parameter the Debezium JDBC sink reads: {@code varchar(n)} with the type above. */
    static final String COLUMN_LENGTH_PARAMETER = "__debezium.source.column.length";
    private static final String COLUMN_SCALE_PARAMETER = "__debezium.source.column.scale";
    /** Debezium's semantic type for an instant with its offset, written as {@code timestamptz}. */
    static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";

    /** Parameters the converted schema sets itself: the input's would contradict them. */
    private static final Set<String> REPLACED_PARAMETERS = Set.of(Decimal.SCALE_FIELD,
            FieldParameters.DECIMAL_PRECISION, COLUMN_TYPE_PARAMETER, COLUMN_LENGTH_PARAMETER,
            COLUMN_SCALE_PARAMETER);

    private static final long MILLIS_PER_DAY = 86_400_000L;

    /** ISO-8601 with milliseconds in UTC, as {@code io.debezium.time.ZonedTimestamp} values are written. */
    private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** ISO-8601 date-times with an offset ({@code Z}, {@code +01:00}, or Salesforce's {@code +0000}) or none (UTC). */
    private static final DateTimeFormatter DATETIME_IN = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    /** A value that does not fit its column. The message continues "the value "..." ", and says what to do. */
    static final class BadValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadValue(String reason) {
            super(reason, null, false, false);
        }
    }

    private ColumnValues() {}

    /**
     * The schema of a field written to a column of type {@code column}: the input's doc, optionality and
     * parameters (the Salesforce ones among them), with the type and the parameters the sink reads replaced.
     */
    static Schema schema(Schema in, ColumnType column) {
        SchemaBuilder out = switch (column.name()) {
            case ColumnType.VARCHAR, ColumnType.TEXT -> SchemaBuilder.string();
            case ColumnType.BOOLEAN -> SchemaBuilder.bool();
            case ColumnType.INTEGER -> SchemaBuilder.int32();
            case ColumnType.BIGINT -> SchemaBuilder.int64();
            case ColumnType.DOUBLE -> SchemaBuilder.float64();
            case ColumnType.NUMERIC -> Decimal.builder(column.scale());
            case ColumnType.DATE -> org.apache.kafka.connect.data.Date.builder();
            case ColumnType.TIME -> Time.builder();
            case ColumnType.TIMESTAMP -> Timestamp.builder();
            case ColumnType.TIMESTAMPTZ -> SchemaBuilder.string().name(ZONED_TIMESTAMP).version(1);
            case ColumnType.TEXT_ARRAY -> SchemaBuilder.array(Schema.STRING_SCHEMA);
            case ColumnType.BYTEA -> SchemaBuilder.bytes();
            default -> null;
        };
        if (out == null) {
            return in;
        }
        out.doc(in.doc());
        if (in.parameters() != null) {
            in.parameters().forEach((name, value) -> {
                if (!REPLACED_PARAMETERS.contains(name)) {
                    out.parameter(name, value);
                }
            });
        }
        if (column.name().equals(ColumnType.NUMERIC)) {
            out.parameter(FieldParameters.DECIMAL_PRECISION, Integer.toString(column.precision()));
        } else if (column.name().equals(ColumnType.VARCHAR)) {
            out.parameter(COLUMN_TYPE_PARAMETER, "VARCHAR")
                    .parameter(COLUMN_LENGTH_PARAMETER, Integer.toString(column.length()));
        }
        if (in.isOptional()) {
            out.optional();
        }
        return out.build();
    }

    /**
     * The value of a column of type {@code column}, as the Java type of {@link #schema}'s result.
     *
     * @throws BadValue when the value cannot be written to such a column without loss
     */
    static Object convert(Object value, ColumnType column) {
        if (value == null) {
            return null;
        }
        return switch (column.name()) {
            case ColumnType.VARCHAR -> fitting(text(value), column.length());
            case ColumnType.TEXT -> text(value);
            case ColumnType.BOOLEAN -> bool(value);
            case ColumnType.INTEGER -> integer(value);
            case ColumnType.BIGINT -> bigint(value);
            case ColumnType.DOUBLE -> value instanceof Number n ? n.doubleValue() : decimal(value).doubleValue();
            case ColumnType.NUMERIC -> numeric(value, column.precision(), column.scale());
            case ColumnType.DATE -> date(value);
            case ColumnType.TIME -> time(value);
            case ColumnType.TIMESTAMP -> Date.from(instant(value));
            case ColumnType.TIMESTAMPTZ -> ZONED.format(instant(value));
            case ColumnType.TEXT_ARRAY -> value instanceof String s ? split(s) : strings(value);
            case ColumnType.BYTEA -> bytes(value);
            default -> checked(value);
        };
    }

    /**
     * A value of a field with no Salesforce type in a row with a schema: its type stays, only text Postgres cannot
     * hold is refused.
     */
    static Object checked(Object value) {
        if (value instanceof String s) {
            return withoutNul(s);
        }
        if (value instanceof List<?> list) {
            for (Object element : list) {
                if (element instanceof String text) {
                    withoutNul(text);
                }
            }
        }
        return value;
    }

    /**
     * A value of a schemaless row whose column type is unknown, converted by its Java type as the style would
     * convert the field it most likely comes from: decimals to double and lists to {@code ;}-joined text and bytes
     * to base64 text for {@code heroku-connect}; kept for {@code native}.
     */
    static Object untyped(Object value, SchemaStyle style) {
        boolean hc = style == SchemaStyle.HEROKU_CONNECT;
        if (value == null || value instanceof Boolean || value instanceof Date) {
            return value;
        }
        if (value instanceof String s) {
            return withoutNul(s);
        }
        if (value instanceof BigDecimal decimal) {
            return hc ? decimal.doubleValue() : decimal;
        }
        if (value instanceof Number) {
            return value;
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            return hc ? text(value) : bytes(value);
        }
        if (value instanceof List<?>) {
            return hc ? text(value) : strings(value);
        }
        throw new BadValue("is a " + value.getClass().getName() + ", which has no Postgres column type without a "
                + "schema; send the rows with schemas (the Debezium JDBC sink needs them anyway)");
    }

    private static String text(Object value) {
        if (value instanceof String s) {
            return withoutNul(s);
        }
        if (value instanceof List<?>) {
            // A multi-select picklist sent as an array: Salesforce's own text form joins the values with ';'.
            return String.join(";", strings(value));
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            return Base64.getEncoder().encodeToString(Records.bytes(buffer));
        }
        throw new BadValue("is a " + value.getClass().getSimpleName() + ", not text");
    }

    private static String withoutNul(String text) {
        int nul = text.indexOf('\u0000');
        if (nul >= 0) {
            throw new BadValue("holds the character U+0000 (NUL) at position " + nul + ", which Postgres text "
                    + "cannot store; remove it from the record in Salesforce");
        }
        return text;
    }

    private static String fitting(String text, int length) {
        int characters = text.codePointCount(0, text.length());
        if (characters > length) {
            throw new BadValue("is " + characters + " characters long but the column is varchar(" + length
                    + "); widen the column (ALTER TABLE ... ALTER COLUMN ... TYPE varchar(" + characters
                    + ") or text) or map the field to a wider column");
        }
        return text;
    }

    private static List<String> strings(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new BadValue("is a " + value.getClass().getSimpleName() + ", not a list of strings");
        }
        List<String> strings = new ArrayList<>(list.size());
        for (Object element : list) {
            if (!(element instanceof String s)) {
                throw new BadValue("holds " + (element == null ? "null" : "a " + element.getClass().getSimpleName())
                        + " where a list of strings was expected");
            }
            strings.add(withoutNul(s));
        }
        return strings;
    }

    private static List<String> split(String joined) {
        List<String> values = new ArrayList<>();
        for (String value : withoutNul(joined).split(";")) {
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return values;
    }

    private static Boolean bool(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.valueOf(s);
        }
        throw new BadValue("is not a boolean");
    }

    /** Any number, or a number written as text, exactly. */
    private static BigDecimal decimal(Object value) {
        try {
            if (value instanceof BigDecimal d) {
                return d;
            }
            if (value instanceof Double || value instanceof Float) {
                // valueOf takes the shortest decimal that reads back as the double: 0.1, not 0.1000000000000000055.
                return BigDecimal.valueOf(((Number) value).doubleValue());
            }
            if (value instanceof Number n) {
                return BigDecimal.valueOf(n.longValue());
            }
            if (value instanceof String s) {
                return new BigDecimal(s.trim());
            }
        } catch (NumberFormatException e) {
            throw new BadValue("is not a finite number");
        }
        throw new BadValue("is a " + value.getClass().getSimpleName() + ", not a number");
    }

    private static int integer(Object value) {
        try {
            return decimal(value).intValueExact();
        } catch (ArithmeticException e) {
            throw new BadValue("is not a whole number in the range of integer");
        }
    }

    private static long bigint(Object value) {
        try {
            return decimal(value).longValueExact();
        } catch (ArithmeticException e) {
            throw new BadValue("is not a whole number in the range of bigint");
        }
    }

    /**
     * The number at the column's scale, refused when that would round it (more decimals than the scale) or when
     * it has more digits before the point than numeric(p,s) holds (Postgres would fail the whole batch).
     */
    private static BigDecimal numeric(Object value, int precision, int scale) {
        BigDecimal exact = decimal(value);
        BigDecimal scaled = exact.setScale(scale, RoundingMode.HALF_UP);
        if (scaled.compareTo(exact) != 0) {
            throw new BadValue("has more than " + scale + " decimal places, which numeric(" + precision + ","
                    + scale + ") would round away; widen the column's scale or use schema.style heroku-connect");
        }
        int integerDigits = scaled.precision() - scaled.scale();
        if (integerDigits > precision - scale) {
            throw new BadValue("has " + integerDigits + " digits before the decimal point but numeric(" + precision
                    + "," + scale + ") holds " + (precision - scale) + "; widen the column's precision");
        }
        return scaled;
    }

    private static Date date(Object value) {
        if (value instanceof Date d) {
            return d;
        }
        if (value instanceof Number days) {
            return new Date(days.longValue() * MILLIS_PER_DAY);
        }
        if (value instanceof String s) {
            try {
                return new Date(LocalDate.parse(s.trim()).toEpochDay() * MILLIS_PER_DAY);
            } catch (DateTimeException e) {
                throw new BadValue("is not an ISO-8601 date (yyyy-mm-dd)");
            }
        }
        throw new BadValue("is a " + value.getClass().getSimpleName() + ", not a date");
    }

    private static Date time(Object value) {
        if (value instanceof Date d) {
            return d;
        }
        if (value instanceof Number millis && millis.longValue() >= 0 && millis.longValue() < MILLIS_PER_DAY) {
            return new Date(millis.longValue());
        }
        if (value instanceof String s) {
            String text = s.trim();
            // Salesforce writes times in UTC with a trailing Z (14:00:00.000Z); the column has no zone.
            if (text.endsWith("Z") || text.endsWith("z")) {
                text = text.substring(0, text.length() - 1);
            }
            try {
                return new Date(LocalTime.parse(text).toNanoOfDay() / 1_000_000L);
            } catch (DateTimeException e) {
                throw new BadValue("is not an ISO-8601 time (hh:mm:ss.sss)");
            }
        }
        throw new BadValue("is not a time of day");
    }

    private static Instant instant(Object value) {
        if (value instanceof Date d) {
            return d.toInstant();
        }
        if (value instanceof Number millis) {
            return Instant.ofEpochMilli(millis.longValue());
        }
        if (value instanceof String s) {
            try {
                TemporalAccessor parsed = DATETIME_IN.parseBest(s.trim(), OffsetDateTime::from, LocalDateTime::from);
                return parsed instanceof OffsetDateTime offset ? offset.toInstant()
                        : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e) {
                throw new BadValue("is not an ISO-8601 date-time (e.g. 2026-11-21T14:00:00.000Z)");
            }
        }
        throw new BadValue("is a " + value.getClass().getSimpleName() + ", not a date-time");
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof ByteBuffer buffer) {
            return Records.bytes(buffer);
        }
        if (value instanceof String s) {
            try {
                return Base64.getDecoder().decode(s.trim());
            } catch (IllegalArgumentException e) {
                throw new BadValue("is not base64");
            }
        }
        throw new BadValue("is a " + value.getClass().getSimpleName() + ", not bytes");
    }
}
