package dev.lockstep.cli.reconcile;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The one definition of "a Salesforce value and its Postgres column hold the same thing", used by
 * {@code lockstep reconcile} and by the integration tests' checks:
 * <ul>
 *   <li>date-times (and times) are equal within {@value #DATETIME_TOLERANCE_SECONDS} s: a streamed change's
 *       {@code systemmodstamp} is Salesforce's commit time, which can differ from {@code SystemModstamp} by
 *       milliseconds;</li>
 *   <li>numbers are compared as numbers: a Salesforce decimal (currency, percent, double), read at its field's
 *       scale, equals a {@code numeric(p,s)} of the same value whatever its trailing zeros ({@code 10.25} =
 *       {@code 10.250}), and a Heroku Connect {@code double precision} column when it holds the double nearest to
 *       it, as the sink writes it;</li>
 *   <li>text is compared byte for byte (UTF-8);</li>
 *   <li>a blob's bytes equal a {@code bytea} of the same bytes or their base64 text;</li>
 *   <li>a multi-select picklist as a list, as {@code ;}-joined text or as {@code text[]} is the same list;</li>
 *   <li>anything else by {@link Objects#equals}; null equals only null.</li>
 * </ul>
 *
 * <p>Salesforce values are the Java types the client's {@code FieldValues} (or the emulator) gives; Postgres values
 * are the types {@link #postgresValue} reads.
 */
public final class ValueComparison {

    static final int DATETIME_TOLERANCE_SECONDS = 1;
    /** How far apart two date-times may be and still count as the same. */
    public static final Duration DATETIME_TOLERANCE = Duration.ofSeconds(DATETIME_TOLERANCE_SECONDS);

    private static final int MAX_SHOWN_CHARACTERS = 80;

    private ValueComparison() {
    }

    /** Whether the Postgres value {@code postgres} holds the Salesforce value {@code salesforce}. */
    public static boolean same(Object salesforce, Object postgres) {
        if (salesforce == null || postgres == null) {
            return salesforce == null && postgres == null;
        }
        if (salesforce instanceof Number expected && postgres instanceof Number actual) {
            if (actual instanceof Double || actual instanceof Float) {
                // A double precision column holds the double nearest to the decimal, as the sink wrote it.
                return expected.doubleValue() == actual.doubleValue();
            }
            return decimal(expected).compareTo(decimal(actual)) == 0;
        }
        if (salesforce instanceof Instant expected) {
            return postgres instanceof Instant actual && within(Duration.between(expected, actual));
        }
        if (salesforce instanceof LocalTime expected) {
            return postgres instanceof LocalTime actual && within(Duration.between(expected, actual));
        }
        if (salesforce instanceof byte[] expected) {
            if (postgres instanceof byte[] actual) {
                return Arrays.equals(expected, actual);
            }
            return postgres instanceof String text && Base64.getEncoder().encodeToString(expected).equals(text);
        }
        if (salesforce instanceof List<?> || postgres instanceof List<?>) {
            List<String> expected = picklistValues(salesforce);
            return expected != null && expected.equals(picklistValues(postgres));
        }
        if (salesforce instanceof String expected && postgres instanceof String actual) {
            return Arrays.equals(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
        }
        return Objects.equals(salesforce, postgres);
    }

    private static boolean within(Duration difference) {
        return difference.abs().compareTo(DATETIME_TOLERANCE) <= 0;
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Double || n instanceof Float) {
            // The shortest decimal that reads back as this double: 10.25, not 10.25000000000000000001.
            return BigDecimal.valueOf(n.doubleValue());
        }
        return BigDecimal.valueOf(n.longValue());
    }

    /** The values of a multi-select picklist as a list, split at {@code ;}; null when it is not one. */
    private static List<String> picklistValues(Object value) {
        if (value instanceof List<?> list) {
            List<String> values = new ArrayList<>();
            for (Object v : list) {
                if (!(v instanceof String s)) {
                    return null;
                }
                values.add(s);
            }
            return values;
        }
        if (value instanceof String text) {
            return text.isEmpty() ? List.of() : Arrays.asList(text.split(";", -1));
        }
        return null;
    }

    /**
     * A column of a result set read as the Salesforce value it holds: {@code timestamp} columns as UTC wall-clock
     * time (Heroku Connect's convention, whatever the JVM's zone) and {@code timestamptz} as {@link Instant},
     * {@code date} as {@link LocalDate}, {@code time} as {@link LocalTime}, {@code text[]} as a list, the rest as the
     * driver gives it.
     *
     * @param typeName the column's type name as {@code ResultSetMetaData.getColumnTypeName} gives it
     */
    public static Object postgresValue(ResultSet rs, int column, String typeName) throws SQLException {
        return switch (typeName) {
            case "timestamp" -> {
                LocalDateTime t = rs.getObject(column, LocalDateTime.class);
                yield t == null ? null : t.toInstant(ZoneOffset.UTC);
            }
            case "timestamptz" -> {
                OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
                yield t == null ? null : t.toInstant();
            }
            case "date" -> rs.getObject(column, LocalDate.class);
            case "time" -> rs.getObject(column, LocalTime.class);
            case "_text", "_varchar" -> {
                Array a = rs.getArray(column);
                yield a == null ? null : Arrays.asList((Object[]) a.getArray());
            }
            default -> rs.getObject(column);
        };
    }

    /**
     * A value as a report shows it: text quoted (long text cut), blobs by size and start, other values as
     * themselves; {@code null} for null.
     */
    public static String show(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof byte[] bytes) {
            String base64 = Base64.getEncoder().encodeToString(bytes);
            return bytes.length + " bytes (base64 " + cut(base64) + ")";
        }
        if (value instanceof String text) {
            return quote(cut(text));
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return cut(value.toString());
    }

    private static String cut(String text) {
        return text.length() <= MAX_SHOWN_CHARACTERS ? text : text.substring(0, MAX_SHOWN_CHARACTERS) + "...";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
